// Carries a policy call's AbortSignal to every request an SDK makes inside it, for SDKs that take a custom fetch but no per-call signal (Notion).
import { AsyncLocalStorage } from "node:async_hooks";

type Fetch = typeof globalThis.fetch;

export class SignalScope {
  readonly #current = new AsyncLocalStorage<AbortSignal>();

  /** Runs `fn` so that every request made through `fetch()` inside it is aborted when `signal` is. */
  run<T>(signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
    return this.#current.run(signal, fn);
  }

  /**
   * Wraps `inner` so that each request also honours the signal of the `run` it was made in. Without
   * it, a timed-out write carries on after the caller was told it timed out, and lands seconds later.
   */
  fetch(inner: Fetch = globalThis.fetch): Fetch {
    return (input, init) => {
      const scoped = this.#current.getStore();
      if (!scoped) return inner(input, init);
      return inner(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, scoped]) : scoped });
    };
  }
}
