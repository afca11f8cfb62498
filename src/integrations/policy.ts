// One named resilience policy per service: timeout inside a circuit breaker (cockatiel), observable and logged per transition.
import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, TaskCancelledError, TimeoutStrategy, circuitBreaker, handleWhen, timeout, wrap } from "cockatiel";
import type { BreakerSettings } from "../config.js";
import { redactSecrets, type Logger } from "../logger.js";
import { isIntegrationError, NotConfigured, ServiceUnavailable, TimedOut, type ServiceName } from "./errors.js";
import type { IntegrationMetrics } from "./metrics.js";
import { isTransportError } from "./transport-errors.js";

export type BreakerState = "closed" | "open" | "half-open" | "isolated";

export interface BreakerSnapshot {
  name: ServiceName;
  configured: boolean;
  state: BreakerState;
  consecutiveFailures: number;
  totalFailures: number;
  lastError?: string;
  since: Date;
}

export interface ServicePolicyOptions {
  name: ServiceName;
  settings: BreakerSettings;
  configured: boolean;
  logger: Logger;
  metrics: IntegrationMetrics;
  /** Failures the breaker counts (its own timeouts always count); defaults to `defaultIsServiceFailure`. */
  isServiceFailure?: (err: Error) => boolean;
  /** The error as Piper names it, for `lastError`; for policies whose calls throw raw SDK errors (GitHub's). */
  explainError?: (err: Error) => Error;
  /**
   * Abort the call's signal when it returns (default true), so work a call left running is cancelled.
   * False for a service whose calls never take the signal: each abort builds a DOMException with a
   * stack, and Slack calls run hundreds of times a second.
   */
  abortOnReturn?: boolean;
  now?: () => number;
}

const STATE: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: "closed",
  [CircuitState.Open]: "open",
  [CircuitState.HalfOpen]: "half-open",
  [CircuitState.Isolated]: "isolated",
};

/**
 * Only an unreachable service, a 5xx or a timeout says a service is unhealthy. Clients map those to
 * integration errors that say so; a raw network error still counts. Anything else — a TypeError from
 * a mapper, a refusal nobody mapped — does not: counting Piper's own bugs would open the breaker and
 * tell every user "GitHub is unavailable" when GitHub is fine, and hide the bug behind that sentence.
 */
export function defaultIsServiceFailure(err: Error): boolean {
  if (isIntegrationError(err)) return err.countsAsServiceFailure;
  return isTransportError(err);
}

export class ServicePolicy {
  readonly name: ServiceName;
  readonly configured: boolean;
  readonly #breaker;
  readonly #policy;
  readonly #log: Logger;
  readonly #metrics: IntegrationMetrics;
  readonly #settings: BreakerSettings;
  readonly #now: () => number;
  readonly #explain: (err: Error) => Error;
  /** cockatiel's own count: what the snapshot shows is what decides when the breaker opens. */
  readonly #counter: ConsecutiveBreaker;
  #total = 0;
  #lastError: string | undefined;
  #since: Date;
  #openedAt = 0;

  constructor(options: ServicePolicyOptions) {
    this.name = options.name;
    this.configured = options.configured;
    this.#settings = options.settings;
    this.#log = options.logger.child({ breaker: options.name });
    this.#metrics = options.metrics;
    this.#now = options.now ?? Date.now;
    this.#explain = options.explainError ?? ((err) => err);
    this.#since = new Date(this.#now());
    const isFailure = options.isServiceFailure ?? defaultIsServiceFailure;
    this.#counter = new ConsecutiveBreaker(options.settings.failureThreshold);
    this.#breaker = circuitBreaker(
      handleWhen((err) => {
        // The policy's own timeout always counts, whatever the service's classifier knows about.
        const counts = err instanceof TaskCancelledError || isFailure(err);
        if (counts) this.#recordFailure(err);
        return counts;
      }),
      { halfOpenAfter: options.settings.halfOpenAfterMs, breaker: this.#counter },
    );
    // Aggressive: the caller gets its answer at the deadline even if an SDK ignores the abort signal.
    this.#policy = wrap(this.#breaker, timeout(options.settings.timeoutMs, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: options.abortOnReturn ?? true }));
    this.#breaker.onStateChange((state) => this.#transition(STATE[state]));
    this.#metrics.setState(this.name, "closed");
  }

  /**
   * Runs `fn` under this service's timeout and breaker. Errors reach the caller unchanged (the
   * breaker only counts them); an open breaker rejects at once with ServiceUnavailable, and
   * a timeout becomes TimedOut.
   */
  async execute<T>(fn: (signal: AbortSignal) => Promise<T>, operation = "call"): Promise<T> {
    if (!this.configured) throw new NotConfigured(this.name);
    const started = this.#now();
    const seconds = () => (this.#now() - started) / 1000;
    try {
      const result = await this.#policy.execute(({ signal }) => fn(signal));
      this.#metrics.call(this.name, operation, "success", seconds());
      return result;
    } catch (err) {
      if (err instanceof BrokenCircuitError) throw this.#rejected(operation, err);
      if (err instanceof TaskCancelledError) {
        this.#metrics.call(this.name, operation, "timeout", seconds());
        throw new TimedOut(this.name, this.#settings.timeoutMs, { cause: err });
      }
      this.#metrics.call(this.name, operation, "failure", seconds());
      throw err;
    }
  }

  /**
   * Throws now what `execute` would throw if the breaker is open and not yet due a probe. For a
   * caller about to wait its turn in a client-side queue before `execute`: a write should fail
   * closed at once, not after seconds in line.
   */
  failFastIfOpen(operation = "call"): void {
    if (!this.configured) throw new NotConfigured(this.name);
    if (this.#breaker.state === CircuitState.Open && this.#waitMs() > 0) throw this.#rejected(operation);
  }

  get state(): BreakerState {
    return STATE[this.#breaker.state];
  }

  snapshot(): BreakerSnapshot {
    return {
      name: this.name,
      configured: this.configured,
      state: this.state,
      consecutiveFailures: this.#counter.state,
      totalFailures: this.#total,
      lastError: this.#lastError,
      since: this.#since,
    };
  }

  #waitMs(): number {
    return Math.max(0, this.#openedAt + this.#settings.halfOpenAfterMs - this.#now());
  }

  #rejected(operation: string, cause?: unknown): ServiceUnavailable {
    this.#metrics.call(this.name, operation, "rejected");
    return new ServiceUnavailable(this.name, `breaker ${this.state}; last error: ${this.#lastError ?? "unknown"}`, Math.max(1, Math.ceil(this.#waitMs() / 1000)), { cause });
  }

  #recordFailure(err: Error): void {
    this.#total++;
    this.#lastError = sanitize(this.#explain(err));
  }

  #transition(state: BreakerState): void {
    this.#since = new Date(this.#now());
    if (state === "open") this.#openedAt = this.#now();
    // cockatiel 3.2 closes a half-open breaker when the probe fails with an error it does not count
    // (a 404 is still an answer: GitHub is up) but leaves its consecutive count at the threshold, so
    // the next single failure would re-open it. Every close starts from zero.
    if (state === "closed") this.#counter.success();
    this.#metrics.setState(this.name, state);
    // One line per transition, with the error that caused it — not one per failed call.
    if (state === "open") this.#log.warn({ state, lastError: this.#lastError, consecutiveFailures: this.#counter.state }, `${this.name} breaker opened`);
    else this.#log.info({ state }, `${this.name} breaker ${state === "half-open" ? "half-open: probing" : state}`);
  }
}

/** A one-line description of an error without tokens or URLs' query strings. */
function sanitize(err: Error): string {
  return redactSecrets(`${err.name}: ${err.message}`)
    .replace(/\?[^\s]*/g, "")
    .slice(0, 300);
}
