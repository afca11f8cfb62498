// Per-method rate limits like Slack's tiers: a token bucket per method (or per method and channel), 429 + Retry-After when empty.

export type RateLimitRule =
  /** Slack's tiers (Tier 2 ≈ 20/min, Tier 3 ≈ 50/min): `burst` calls at once, refilled evenly over the minute. */
  | { perMinute: number; burst?: number }
  /** chat.postMessage: about one per second per channel, with short bursts. */
  | { perSecondPerChannel: number; burst?: number };

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimits {
  readonly #rules = new Map<string, { perMs: number; burst: number; perChannel: boolean }>();
  readonly #buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number = Date.now) {}

  set(method: string, rule: RateLimitRule | undefined): void {
    for (const key of [...this.#buckets.keys()]) if (key.startsWith(`${method} `)) this.#buckets.delete(key);
    if (!rule) return void this.#rules.delete(method);
    const perChannel = "perSecondPerChannel" in rule;
    const perMs = perChannel ? rule.perSecondPerChannel / 1_000 : rule.perMinute / 60_000;
    const burst = rule.burst ?? (perChannel ? 3 : rule.perMinute);
    if (!(perMs > 0) || !(burst >= 1)) throw new TypeError(`rate limit for ${method} needs a positive rate and burst >= 1`);
    this.#rules.set(method, { perMs, burst, perChannel });
  }

  /** Takes one call's token; returns the Retry-After seconds when the method is over its limit. */
  take(method: string, channel: string | undefined): number | undefined {
    const rule = this.#rules.get(method);
    if (!rule) return undefined;
    const key = `${method} ${rule.perChannel ? (channel ?? "") : ""}`;
    const now = this.now();
    const bucket = this.#buckets.get(key) ?? { tokens: rule.burst, at: now };
    bucket.tokens = Math.min(rule.burst, bucket.tokens + (now - bucket.at) * rule.perMs);
    bucket.at = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / rule.perMs / 1_000));
  }
}
