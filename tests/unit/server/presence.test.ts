import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Presence } from '../../../lib/server/presence.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('Presence', () => {
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
