// Independent tasks overlap (proved by a gate all of them must reach, not by timing), dependencies hold
// (recorded start after recorded end), outputs flow to dependents, concurrency is bounded.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProgressSnapshot, TaskSpec } from "../../src/workflows/types.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { deferred, engineOn, taskRows } from "./helpers.js";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.dispose();
});

describe("WorkflowEngine runs independent tasks in parallel", () => {
  it("starts five independent tasks before any of them finishes", async () => {
    const engine = engineOn(db);
    const started = new Set<string>();
    const allStarted = deferred();
    const release = deferred();
    const tasks: TaskSpec[] = [0, 1, 2, 3, 4].map((i) => ({
      name: `t${i}`,
      async run() {
        started.add(`t${i}`);
        if (started.size === 5) allStarted.resolve();
        await release.promise; // no task can finish before all five have started
        return i * 10;
      },
    }));
    engine.register({ type: "five", thresholdMs: 60_000, tasks }, { resumable: false });
    const running = engine.start("five", {});
    await allStarted.promise;
    release.resolve();
    const result = await running;

    expect(result.status).toBe("succeeded");
    expect(result.outputs).toEqual({ t0: 0, t1: 10, t2: 20, t3: 30, t4: 40 });
    const rows = [...(await taskRows(db, result.runId)).values()];
    expect(rows).toHaveLength(5);
    // Recorded intervals overlap: every task started before any task finished.
    const lastStart = Math.max(...rows.map((r) => r.startedAt!.getTime()));
    const firstEnd = Math.min(...rows.map((r) => r.finishedAt!.getTime()));
    expect(lastStart).toBeLessThanOrEqual(firstEnd);
  });

  it("starts a task after its dependencies finished, with their outputs", async () => {
    const engine = engineOn(db);
    const seen: Record<string, Record<string, unknown>> = {};
    const task = (name: string, dependsOn: string[], out: unknown): TaskSpec => ({
      name,
      dependsOn,
      async run({ inputs }) {
        seen[name] = inputs;
        return out;
      },
    });
    engine.register(
      {
        type: "diamond",
        thresholdMs: 60_000,
        tasks: [task("d", ["b", "c"], "D"), task("b", ["a"], "B"), task("c", ["a"], "C"), task("a", [], { n: 1 })],
      },
      { resumable: false },
    );
    const result = await engine.start("diamond", { q: 1 });

    expect(result.status).toBe("succeeded");
    expect(seen.a).toEqual({});
    expect(seen.b).toEqual({ a: { n: 1 } });
    expect(seen.c).toEqual({ a: { n: 1 } });
    expect(seen.d).toEqual({ b: "B", c: "C" });
    const rows = await taskRows(db, result.runId);
    const at = (n: string, k: "startedAt" | "finishedAt") => rows.get(n)![k]!.getTime();
    expect(at("b", "startedAt")).toBeGreaterThanOrEqual(at("a", "finishedAt"));
    expect(at("c", "startedAt")).toBeGreaterThanOrEqual(at("a", "finishedAt"));
    expect(at("d", "startedAt")).toBeGreaterThanOrEqual(Math.max(at("b", "finishedAt"), at("c", "finishedAt")));
  });

  it("passes the workflow input to every task", async () => {
    const engine = engineOn(db);
    engine.register({ type: "echo", thresholdMs: 60_000, tasks: [{ name: "echo", run: async ({ input }) => input }] }, { resumable: false });
    const result = await engine.start("echo", { text: "hi" });
    expect(result.outputs).toEqual({ echo: { text: "hi" } });
  });

  it("never runs more tasks at once than its concurrency", async () => {
    const engine = engineOn(db, { concurrency: 2 });
    let running = 0;
    let most = 0;
    const twoRunning = deferred();
    // No task finishes before two are running at once (so the engine must run two together); the
    // count of tasks inside `run` at any moment may never exceed the bound.
    const tasks: TaskSpec[] = [0, 1, 2, 3, 4, 5].map((i) => ({
      name: `t${i}`,
      async run() {
        running++;
        most = Math.max(most, running);
        if (running === 2) twoRunning.resolve();
        await twoRunning.promise;
        await new Promise((r) => setImmediate(r)); // give the engine a chance to start a third
        running--;
      },
    }));
    engine.register({ type: "bounded", thresholdMs: 60_000, tasks }, { resumable: false });
    const result = await engine.start("bounded", {});
    expect(result.status).toBe("succeeded");
    expect(most).toBe(2);
  });

  it("reports progress: every task's status, and labels a task sets", async () => {
    const snapshots: ProgressSnapshot[] = [];
    const engine = engineOn(db);
    engine.register(
      {
        type: "progress",
        thresholdMs: 60_000,
        tasks: [
          {
            name: "fetch",
            async run({ progress }) {
              progress("reading 3 issues");
              return 3;
            },
          },
          { name: "summarise", dependsOn: ["fetch"], run: async () => "ok" },
        ],
      },
      { resumable: false },
    );
    const result = await engine.start("progress", {}, {}, { onProgress: (s) => snapshots.push(structuredClone(s)) });
    expect(snapshots[0]!.tasks).toEqual([
      { name: "fetch", status: "pending" },
      { name: "summarise", status: "pending" },
    ]);
    expect(snapshots).toContainEqual({
      runId: result.runId,
      type: "progress",
      tasks: [
        { name: "fetch", status: "running", label: "reading 3 issues" },
        { name: "summarise", status: "pending" },
      ],
    });
    expect(snapshots.at(-1)!.tasks.map((t) => t.status)).toEqual(["succeeded", "succeeded"]);
  });
});
