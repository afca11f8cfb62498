// Reads may fall back to the last good value, marked stale; every caller gets its own copy.
import { isIntegrationError } from "./errors.js";

export type Read<T> = { value: T; stale: false } | { value: T; stale: true; asOf: Date; error: Error };

export class LastGoodCache {
  readonly #entries = new Map<string, { value: unknown; asOf: Date }>();

  constructor(
    private readonly maxEntries = 500,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Runs `load`; on success remembers a copy. When the service fails (not when the request was
   * wrong — a 404 stays a 404), answers with a fresh copy of the last good value, marked stale.
   * Without one, the error goes to the caller.
   */
  async read<T>(key: string, load: () => Promise<T>): Promise<Read<T>> {
    try {
      const value = await load();
      this.#entries.delete(key);
      this.#entries.set(key, { value: structuredClone(value), asOf: new Date(this.now()) });
      if (this.#entries.size > this.maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
      return { value, stale: false };
    } catch (err) {
      const cached = this.#entries.get(key);
      const serviceTrouble = !isIntegrationError(err) || err.countsAsServiceFailure || err.code === "RATE_LIMITED";
      if (!cached || !serviceTrouble) throw err;
      return { value: structuredClone(cached.value) as T, stale: true, asOf: cached.asOf, error: err as Error };
    }
  }
}
