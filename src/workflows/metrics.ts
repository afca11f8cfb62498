// Workflow runs slower than their type's threshold, counted for /metrics beside the integrations' figures.
import { Counter, type Registry } from "prom-client";
import type { SlowRun } from "./types.js";

export class WorkflowMetrics {
  readonly #slow: Counter<"type">;

  constructor(registry: Registry) {
    this.#slow = new Counter({ name: "piper_workflow_slow_runs_total", help: "Workflow runs slower than their type's threshold", labelNames: ["type"], registers: [registry] });
  }

  slowRun(run: SlowRun): void {
    this.#slow.inc({ type: run.type });
  }
}
