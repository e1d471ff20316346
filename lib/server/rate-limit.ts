export interface RateLimitOptions {
  /** Requests allowed per second, on average. */
  perSecond: number;
  /** How many may come at once. */
  burst: number;
}

/** A token bucket per key: cheap, and fair to a client that sends in bursts now and then. */
export class RateLimiter {
  readonly #options: RateLimitOptions;
  readonly #buckets = new Map<string, { tokens: number; updatedAt: number }>();

  constructor(options: RateLimitOptions) {
    this.#options = options;
  }

  /** Takes one request from the key's bucket; returns the seconds to wait when it is empty. */
  take(key: string, now: number = Date.now()): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      if (this.#buckets.size >= 10_000) this.#forgetFull(now);
      bucket = { tokens: this.#options.burst, updatedAt: now };
    }
    bucket.tokens = Math.min(this.#options.burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.#options.perSecond);
    bucket.updatedAt = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.ceil((1 - bucket.tokens) / this.#options.perSecond) };
  }

  /** Full buckets carry no information: dropping them keeps the map small. */
  #forgetFull(now: number): void {
    for (const [key, bucket] of this.#buckets) {
      if (bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.#options.perSecond >= this.#options.burst) this.#buckets.delete(key);
    }
  }
}
