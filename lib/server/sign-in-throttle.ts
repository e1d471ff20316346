interface Bucket {
  tokens: number;
  updatedAt: number;
}

interface Rule {
  size: number;
  perMs: number;
}

/** Like code-server: two a minute plus twelve an hour. */
const PER_ADDRESS: readonly Rule[] = [
  { size: 2, perMs: 60_000 },
  { size: 12, perMs: 3_600_000 },
];
/** For everybody together, so many addresses do not add up to many guesses. */
const OVERALL: readonly Rule[] = [
  { size: 10, perMs: 60_000 },
  { size: 60, perMs: 3_600_000 },
];
const MAX_ADDRESSES = 10_000;

/**
 * Failed sign-ins, the way code-server limits them: an attempt may be made while either the
 * minute's or the hour's allowance has one left; only a failure spends one. Kept per address
 * and overall; while either says no, even a right code is refused.
 */
export class SignInThrottle {
  readonly #clock: () => number;
  readonly #byAddress = new Map<string, Bucket[]>();
  readonly #overall: Bucket[];

  constructor(clock: () => number = Date.now) {
    this.#clock = clock;
    this.#overall = fresh(OVERALL, clock());
  }

  /** Seconds to wait before the next attempt; 0 when one may be made now. */
  retryAfter(address: string): number {
    const now = this.#clock();
    const own = this.#byAddress.get(address);
    return Math.max(own ? waitFor(own, PER_ADDRESS, now) : 0, waitFor(this.#overall, OVERALL, now));
  }

  failed(address: string): void {
    const now = this.#clock();
    let own = this.#byAddress.get(address);
    if (!own) {
      if (this.#byAddress.size >= MAX_ADDRESSES) this.#byAddress.delete(this.#byAddress.keys().next().value as string);
      this.#byAddress.set(address, (own = fresh(PER_ADDRESS, now)));
    }
    spend(own, PER_ADDRESS, now);
    spend(this.#overall, OVERALL, now);
  }
}

function fresh(rules: readonly Rule[], now: number): Bucket[] {
  return rules.map((rule) => ({ tokens: rule.size, updatedAt: now }));
}

function refill(buckets: Bucket[], rules: readonly Rule[], now: number): void {
  buckets.forEach((bucket, index) => {
    const rule = rules[index]!;
    bucket.tokens = Math.min(rule.size, bucket.tokens + ((now - bucket.updatedAt) * rule.size) / rule.perMs);
    bucket.updatedAt = now;
  });
}

function waitFor(buckets: Bucket[], rules: readonly Rule[], now: number): number {
  refill(buckets, rules, now);
  if (buckets.some((bucket) => bucket.tokens >= 1)) return 0;
  const waits = buckets.map((bucket, index) => ((1 - bucket.tokens) * rules[index]!.perMs) / rules[index]!.size);
  return Math.max(1, Math.ceil(Math.min(...waits) / 1000));
}

/** The minute's allowance first, then the hour's. */
function spend(buckets: Bucket[], rules: readonly Rule[], now: number): void {
  refill(buckets, rules, now);
  const bucket = buckets.find((candidate) => candidate.tokens >= 1) ?? buckets[buckets.length - 1]!;
  bucket.tokens = Math.max(bucket.tokens - 1, -1);
}
