import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../lib/server/rate-limit.ts';

describe('the rate limiter', () => {
  it('lets a burst through, then refuses with the seconds to wait', () => {
    const limiter = new RateLimiter({ perSecond: 2, burst: 3 });
    const at = 1_000_000;
    expect([1, 2, 3].map(() => limiter.take('a', at).allowed)).toEqual([true, true, true]);
    expect(limiter.take('a', at)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('refills at the average rate, never past the burst', () => {
    const limiter = new RateLimiter({ perSecond: 2, burst: 3 });
    const at = 1_000_000;
    for (let i = 0; i < 3; i++) limiter.take('a', at);
    expect(limiter.take('a', at + 499).allowed).toBe(false);
    expect(limiter.take('a', at + 1_000).allowed).toBe(true);
    const later = at + 3_600_000;
    expect([1, 2, 3, 4].map(() => limiter.take('a', later).allowed)).toEqual([true, true, true, false]);
  });

  it('keeps one bucket per key', () => {
    const limiter = new RateLimiter({ perSecond: 1, burst: 1 });
    expect(limiter.take('a', 0).allowed).toBe(true);
    expect(limiter.take('a', 0).allowed).toBe(false);
    expect(limiter.take('b', 0).allowed).toBe(true);
  });
});
