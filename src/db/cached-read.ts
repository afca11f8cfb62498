// A read that many requests need and few change (the project names the router matches): one query per TTL, not one per message.

export interface CachedReadOptions {
  /** How long an answer is served from memory; a change made elsewhere shows within this. */
  ttlMs: number;
  now?: () => number;
}

/**
 * Wraps `load` so callers within `ttlMs` of the last answer share it, and callers while a load is in
 * flight share that load. A failed load is not kept: the next caller tries again.
 */
export function cachedRead<T>(load: () => Promise<T>, options: CachedReadOptions): (() => Promise<T>) & { invalidate(): void } {
  const now = options.now ?? Date.now;
  let value: { at: number; data: T } | undefined;
  let inFlight: Promise<T> | undefined;
  const read = () => {
    if (value && now() - value.at < options.ttlMs) return Promise.resolve(value.data);
    inFlight ??= load().then(
      (data) => {
        value = { at: now(), data };
        inFlight = undefined;
        return data;
      },
      (err: unknown) => {
        inFlight = undefined;
        throw err;
      },
    );
    return inFlight;
  };
  return Object.assign(read, {
    invalidate() {
      value = undefined;
    },
  });
}
