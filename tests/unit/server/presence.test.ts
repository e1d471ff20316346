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

  it('a client is not gone while one of its requests is being answered, however long it takes', () => {
    const gone: string[] = [];
    const presence = new Presence({ graceMs: 3000, onGone: (id) => gone.push(id) });
    presence.requestStarted('script');
    vi.advanceTimersByTime(10_000);
    expect(gone).toEqual([]);
    presence.requestEnded('script');
    vi.advanceTimersByTime(2999);
    expect(gone).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(gone).toEqual(['script']);
  });

  it('overlapping requests: the grace period starts after the last one', () => {
    const gone: string[] = [];
    const presence = new Presence({ graceMs: 1000, onGone: (id) => gone.push(id) });
    presence.requestStarted('a');
    presence.requestStarted('a');
    presence.requestEnded('a');
    vi.advanceTimersByTime(5000);
    expect(gone).toEqual([]);
    presence.requestEnded('a');
    vi.advanceTimersByTime(1000);
    expect(gone).toEqual(['a']);
  });
});

describe('presence across the nodes of a cluster', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('a client streaming from another node is present here; when it stops there its grace starts here too', () => {
    const { presence, gone } = watch();
    presence.setRemoteStreams('node-b', new Set(['phone']));
    expect(presence.isStreaming('phone')).toBe(true);
    // A request sent on from node B ends: no grace period while the phone streams there.
    presence.requestStarted('phone');
    presence.requestEnded('phone');
    vi.advanceTimersByTime(GRACE_MS * 2);
    expect(gone).toEqual([]);
    presence.setRemoteStreams('node-b', new Set());
    vi.advanceTimersByTime(GRACE_MS - 1);
    expect(gone).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(gone).toEqual(['phone']);
  });

  it('moving from one node to another within the grace period changes nothing, and local streams are announced', () => {
    const changes: number[] = [];
    const gone: string[] = [];
    const presence = new Presence({
      graceMs: GRACE_MS,
      onGone: (clientId) => gone.push(clientId),
      onStreamsChanged: () => changes.push(1),
    });
    presence.streamOpened('phone');
    presence.streamOpened('phone');
    expect(changes).toHaveLength(1);
    expect(presence.localStreams()).toEqual(['phone']);
    presence.setRemoteStreams('node-b', new Set(['phone']));
    presence.streamClosed('phone');
    presence.streamClosed('phone');
    expect(changes).toHaveLength(2);
    vi.advanceTimersByTime(GRACE_MS * 2);
    expect(gone).toEqual([]);
    // A lost node's clients are treated as dropped.
    presence.setRemoteStreams('node-b', new Set());
    vi.advanceTimersByTime(GRACE_MS);
    expect(gone).toEqual(['phone']);
  });
});
