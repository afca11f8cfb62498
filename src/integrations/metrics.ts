// Prometheus metrics for integrations, on a registry of Piper's own (never prom-client's global one).
import { Counter, Gauge, Histogram, Registry } from "prom-client";

export type CallOutcome = "success" | "failure" | "rejected" | "fallback" | "timeout";

export class IntegrationMetrics {
  readonly registry = new Registry();
  readonly contentType = this.registry.contentType;
  readonly #state = new Gauge({ name: "piper_breaker_state", help: "Circuit breaker state: 0 closed, 0.5 half-open, 1 open or isolated", labelNames: ["breaker"], registers: [this.registry] });
  readonly #calls = new Counter({ name: "piper_integration_calls_total", help: "Calls to external services by outcome", labelNames: ["service", "operation", "outcome"], registers: [this.registry] });
  readonly #duration = new Histogram({
    name: "piper_integration_call_duration_seconds",
    help: "Duration of calls to external services",
    labelNames: ["service", "operation"],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  setState(breaker: string, state: "closed" | "half-open" | "open" | "isolated"): void {
    this.#state.set({ breaker }, state === "closed" ? 0 : state === "half-open" ? 0.5 : 1);
  }

  call(service: string, operation: string, outcome: CallOutcome, seconds?: number): void {
    this.#calls.inc({ service, operation, outcome });
    if (seconds !== undefined) this.#duration.observe({ service, operation }, seconds);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
