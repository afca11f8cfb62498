// A run slower than its type's threshold is counted in /metrics, per type.
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WorkflowMetrics } from "../../src/workflows/metrics.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { engineOn } from "./helpers.js";

describe("slow workflow runs", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.dispose());

  it("are counted by type once the engine reports them", async () => {
    const registry = new Registry();
    const metrics = new WorkflowMetrics(registry);
    // The engine's clock moves 50 ms per reading, so the run takes longer than its 10 ms threshold whatever the machine.
    let t = 0;
    const engine = engineOn(db, { now: () => (t += 50), onSlowRun: (run) => metrics.slowRun(run) });
    engine.register({ type: "slowpoke", thresholdMs: 10, tasks: [{ name: "a", run: async () => 1 }] }, { resumable: false });
    engine.register({ type: "quick", thresholdMs: 1_000_000, tasks: [{ name: "a", run: async () => 1 }] }, { resumable: false });
    await engine.start("slowpoke", {});
    await engine.start("quick", {});
    const text = await registry.metrics();
    expect(text).toContain('piper_workflow_slow_runs_total{type="slowpoke"} 1');
    expect(text).not.toContain('type="quick"');
    engine.close();
  });
});
