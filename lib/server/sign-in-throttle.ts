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

/** One attempt at a typed pairing code: taken, or refused with the seconds to wait. */
export type SignInAttempt = { allowed: true; giveBack(): void } | { allowed: false; retryAfterSeconds: number };

/**
 * Sign-ins with a typed pairing code, limited the way code-server limits them: an attempt may
 * be made while either the minute's or the hour's allowance has one left, per address and
 * overall. The attempt is spent when it starts (check and spend are one step, so requests
 * whose bodies arrive together cannot share one allowance); it is given back when no wrong
 * code was tried (a right code, a body that never named one).
 */
export class SignInThrottle {
  readonly #clock: () => number;
  readonly #byAddress = new Map<string, Bucket[]>();
  readonly #overall: Bucket[];

  constructor(clock: () => number = Date.now) {
    this.#clock = clock;
    this.#overall = fresh(OVERALL, clock());
  }

  take(address: string): SignInAttempt {
    const now = this.#clock();
    const own = this.#byAddress.get(address);
    const wait = Math.max(own ? waitFor(own, PER_ADDRESS, now) : 0, waitFor(this.#overall, OVERALL, now));
    if (wait > 0) return { allowed: false, retryAfterSeconds: wait };
    const taken = [spend(this.#own(address, now), PER_ADDRESS, now), spend(this.#overall, OVERALL, now)];
    let given = false;
    return {
      allowed: true,
      giveBack: () => {
        if (given) return;
        given = true;
        for (const { bucket, rule } of taken) bucket.tokens = Math.min(rule.size, bucket.tokens + 1);
      },
    };
  }

  #own(address: string, now: number): Bucket[] {
    let own = this.#byAddress.get(address);
    if (!own) {
      if (this.#byAddress.size >= MAX_ADDRESSES) this.#byAddress.delete(this.#byAddress.keys().next().value as string);
      this.#byAddress.set(address, (own = fresh(PER_ADDRESS, now)));
    }
    return own;
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

/** The minute's allowance first, then the hour's; the caller has seen that one has a token left. */
function spend(buckets: Bucket[], rules: readonly Rule[], now: number): { bucket: Bucket; rule: Rule } {
  refill(buckets, rules, now);
  const withToken = buckets.findIndex((candidate) => candidate.tokens >= 1);
  const index = Math.max(0, withToken);
  const bucket = buckets[index]!;
  bucket.tokens -= 1;
  return { bucket, rule: rules[index]! };
}
