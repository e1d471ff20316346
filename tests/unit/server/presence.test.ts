import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Presence } from '../../../lib/server/presence.ts';

const GRACE_MS = 60_000;

function watch() {
  const gone: string[] = [];
  const presence = new Presence({ graceMs: GRACE_MS, onGone: (clientId) => gone.push(clientId) });
  return { presence, gone };
}

describe('presence and the grace period', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('a client whose stream drops is gone after the grace period, not before', () => {
    const { presence, gone } = watch();
    presence.streamOpened('phone');
    presence.streamClosed('phone');
    vi.advanceTimersByTime(GRACE_MS - 1);
    expect(gone).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(gone).toEqual(['phone']);
  });

  it('a drop shorter than the grace period changes nothing', () => {
    const { presence, gone } = watch();
    presence.streamOpened('phone');
    presence.streamClosed('phone');
    vi.advanceTimersByTime(GRACE_MS / 3);
    presence.streamOpened('phone');
    vi.advanceTimersByTime(GRACE_MS * 10);
    expect(gone).toEqual([]);
    expect(presence.isStreaming('phone')).toBe(true);
  });

  it('counts streams: a client with a second tab open stays', () => {
    const { presence, gone } = watch();
    presence.streamOpened('tab');
    presence.streamOpened('tab');
    presence.streamClosed('tab');
    vi.advanceTimersByTime(GRACE_MS * 2);
    expect(gone).toEqual([]);
    presence.streamClosed('tab');
    vi.advanceTimersByTime(GRACE_MS);
    expect(gone).toEqual(['tab']);
  });

  it('a caller that never opens a stream stays while it keeps calling, and goes a grace period after its last call', () => {
    const { presence, gone } = watch();
    for (let call = 0; call < 4; call++) {
      presence.touched('curl-script');
      vi.advanceTimersByTime(GRACE_MS / 2);
    }
    expect(gone).toEqual([]);
    vi.advanceTimersByTime(GRACE_MS / 2);
    expect(gone).toEqual(['curl-script']);
  });

  it('requests from a client that holds a stream start no timer', () => {
    const { presence, gone } = watch();
    presence.streamOpened('browser');
    presence.touched('browser');
    vi.advanceTimersByTime(GRACE_MS * 2);
    expect(gone).toEqual([]);
  });

  it('dispose cancels every pending departure', () => {
    const { presence, gone } = watch();
    presence.touched('a');
    presence.streamOpened('b');
    presence.streamClosed('b');
    presence.dispose();
    vi.advanceTimersByTime(GRACE_MS * 2);
    expect(gone).toEqual([]);
  });
});
