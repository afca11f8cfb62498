// Paces chat.postMessage per channel (Slack allows about one per second per channel, with short bursts).

export interface PacerOptions {
  /** Minimum spacing between posts to one channel once the burst is spent. */
  intervalMs: number;
  /** Posts a channel may send back to back before pacing starts. */
  burst: number;
}

/** A token bucket per channel; waiting happens per channel, so a busy channel never slows another. */
export class ChannelPacer {
  readonly #buckets = new Map<string, { tokens: number; updatedAt: number }>();
  readonly #tails = new Map<string, Promise<void>>();

  constructor(
    private readonly options: PacerOptions,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    if (options.intervalMs < 0 || options.burst < 1) throw new TypeError("intervalMs must be >= 0 and burst >= 1");
  }

  /** Resolves when the channel may post; callers are served in arrival order. */
  wait(channel: string): Promise<void> {
    const previous = this.#tails.get(channel) ?? Promise.resolve();
    const turn = previous.then(() => this.#take(channel));
    this.#tails.set(channel, turn);
    void turn.then(() => {
      if (this.#tails.get(channel) === turn) this.#tails.delete(channel);
    });
    return turn;
  }

  async #take(channel: string): Promise<void> {
    if (this.options.intervalMs === 0) return;
    const bucket = this.#refill(channel);
    if (bucket.tokens < 1) {
      const waitMs = Math.ceil((1 - bucket.tokens) * this.options.intervalMs);
      await this.sleep(waitMs);
      this.#refill(channel);
    }
    bucket.tokens = Math.max(0, bucket.tokens - 1);
  }

  #refill(channel: string): { tokens: number; updatedAt: number } {
    const now = this.now();
    const bucket = this.#buckets.get(channel) ?? { tokens: this.options.burst, updatedAt: now };
    const elapsed = now - bucket.updatedAt;
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + elapsed / this.options.intervalMs);
    bucket.updatedAt = now;
    this.#buckets.set(channel, bucket);
    if (this.#buckets.size > 5_000) this.#buckets.delete(this.#buckets.keys().next().value!);
    return bucket;
  }
}
