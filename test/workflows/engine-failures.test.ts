// Failure handling: a critical failure stops the run (aborting a running sibling, cancelling what has
// not started), a non-critical one is recorded and the run goes on, timeouts abort, bad graphs are refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RunCancelledError, TaskTimeoutError, UnknownWorkflowError, WorkflowGraphError, type SlowRun } from "../../src/workflows/types.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { aborted, deferred, engineOn, taskRows } from "./helpers.js";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.dispose();
});

describe("WorkflowEngine failures", () => {
  it("stops the run on a critical failure: aborts a running sibling, cancels tasks not started", async () => {
    const engine = engineOn(db);
    const siblingStarted = deferred();
    let siblingReason: unknown;
    let afterRan = false;
    engine.register(
      {
        type: "critical-stop",
        thresholdMs: 60_000,
        tasks: [
          {
            name: "sibling",
            async run({ signal }) {
              siblingStarted.resolve();
              siblingReason = await aborted(signal); // only the run's stop ends it
              throw siblingReason;
            },
          },
          {
            name: "breaks",
            async run() {
              await siblingStarted.promise;
              throw new Error("GitHub said no");
            },
          },
          { name: "after", dependsOn: ["breaks"], run: async () => (afterRan = true) },
          { name: "afterSibling", dependsOn: ["sibling"], run: async () => (afterRan = true) },
        ],
      },
      { resumable: false },
    );
    const result = await engine.start("critical-stop", {});

    expect(result.status).toBe("failed");
    expect(result.failures).toEqual([{ task: "breaks", error: "GitHub said no", critical: true }]);
    expect(result.skipped.sort()).toEqual(["after", "afterSibling", "sibling"]);
    expect(siblingReason).toBeInstanceOf(RunCancelledError);
    expect(afterRan).toBe(false);

    const rows = await taskRows(db, result.runId);
    expect(rows.get("breaks")).toMatchObject({ status: "failed", error: "GitHub said no", attempt: 1 });
    expect(rows.get("sibling")).toMatchObject({ status: "cancelled", attempt: 1 });
    expect(rows.get("after")).toMatchObject({ status: "cancelled", attempt: 0, startedAt: null });
    expect(rows.get("afterSibling")).toMatchObject({ status: "cancelled", attempt: 0, startedAt: null });
    const run = await db.prisma.workflowRun.findUniqueOrThrow({ where: { id: result.runId } });
    expect(run).toMatchObject({ status: "failed", error: "critical task breaks failed", leaseUntil: null });
  });

  it("records a non-critical failure and goes on: dependents skipped unless the dependency is optional", async () => {
    const engine = engineOn(db);
    let optionalInputs: Record<string, unknown> | undefined;
    engine.register(
      {
        type: "partial",
        thresholdMs: 60_000,
        tasks: [
          { name: "base", run: async () => "base" },
          {
            name: "enrich",
            critical: false,
            dependsOn: ["base"],
            run: async () => {
              throw new Error("Notion is down");
            },
          },
          { name: "needsEnrich", critical: false, dependsOn: ["enrich"], run: async () => "never" },
          {
            name: "report",
            dependsOn: ["base"],
            optionalDeps: ["enrich"],
            async run({ inputs }) {
              optionalInputs = inputs;
              return "report";
            },
          },
        ],
      },
      { resumable: false },
    );
    const result = await engine.start("partial", {});

    expect(result.status).toBe("partial");
    expect(result.failures).toEqual([{ task: "enrich", error: "Notion is down", critical: false }]);
    expect(result.skipped).toEqual(["needsEnrich"]);
    expect(result.outputs).toEqual({ base: "base", report: "report" });
    expect(optionalInputs).toEqual({ base: "base" });
    const rows = await taskRows(db, result.runId);
    expect(rows.get("enrich")!.status).toBe("failed");
    expect(rows.get("needsEnrich")).toMatchObject({ status: "cancelled", startedAt: null });
    expect(rows.get("report")!.status).toBe("succeeded");
    // The run's row says succeeded (the enum has no "partial"); its result keeps the outcome.
    const run = await db.prisma.workflowRun.findUniqueOrThrow({ where: { id: result.runId } });
    expect(run.status).toBe("succeeded");
    expect(run.result).toMatchObject({ status: "partial", skipped: ["needsEnrich"] });
  });

  it("aborts a task past its timeout and fails it as TimedOut", async () => {
    const engine = engineOn(db);
    let reason: unknown;
    engine.register(
      {
        type: "timeout",
        thresholdMs: 60_000,
        tasks: [
          {
            name: "hangs",
            critical: false,
            timeoutMs: 20,
            async run({ signal }) {
              reason = await aborted(signal); // never finishes on its own
              return "too late";
            },
          },
          { name: "fine", run: async () => 1 },
        ],
      },
      { resumable: false },
    );
    const result = await engine.start("timeout", {});

    expect(result.status).toBe("partial");
    expect(reason).toBeInstanceOf(TaskTimeoutError);
    expect(result.failures).toEqual([{ task: "hangs", error: "TimedOut: task hangs timed out after 20 ms", critical: false }]);
    expect(result.outputs).toEqual({ fine: 1 });
    expect((await taskRows(db, result.runId)).get("hangs")).toMatchObject({ status: "failed", error: expect.stringContaining("TimedOut") });
  });

  it("does not wait for a task that ignores its signal after a timeout", async () => {
    const engine = engineOn(db);
    const never = deferred<string>();
    engine.register(
      { type: "deaf", thresholdMs: 60_000, tasks: [{ name: "deaf", timeoutMs: 10, run: () => never.promise }] },
      { resumable: false },
    );
    const result = await engine.start("deaf", {});
    expect(result.status).toBe("failed");
    expect(result.failures[0]!.error).toContain("TimedOut");
    never.resolve("late"); // settles after the run ended: nothing is written
    const rows = await taskRows(db, result.runId);
    expect(rows.get("deaf")!.status).toBe("failed");
  });

  it("refuses a cycle or an unknown dependency before anything runs", async () => {
    const engine = engineOn(db);
    let ran = 0;
    const run = async () => ran++;
    const before = await db.prisma.workflowRun.count();
    const cycle = () =>
      engine.register(
        {
          type: "cycle",
          thresholdMs: 1,
          tasks: [
            { name: "a", run },
            { name: "b", dependsOn: ["a", "d"], run },
            { name: "c", dependsOn: ["b"], run },
            { name: "d", dependsOn: ["c"], run },
          ],
        },
        { resumable: false },
      );
    expect(cycle).toThrow(WorkflowGraphError);
    expect(cycle).toThrow(/cycle: b → d → c → b|cycle: .*b.*c.*d/);
    try {
      engine.register({ type: "unknown", thresholdMs: 1, tasks: [{ name: "a", dependsOn: ["ghost"], run }] }, { resumable: false });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(WorkflowGraphError);
      expect((err as WorkflowGraphError).problem).toBe("unknown-dependency");
    }
    expect(() => engine.register({ type: "dup", thresholdMs: 1, tasks: [{ name: "a", run }, { name: "a", run }] }, { resumable: false })).toThrow(
      /two tasks named a/,
    );
    await expect(engine.start("cycle", {})).rejects.toBeInstanceOf(UnknownWorkflowError);
    expect(ran).toBe(0);
    expect(await db.prisma.workflowRun.count()).toBe(before);
  });

  it("logs and counts a run slower than its type's threshold, on the engine's clock", async () => {
    let clock = 1_000_000;
    const slow: SlowRun[] = [];
    const engine = engineOn(db, { now: () => clock, onSlowRun: (s) => slow.push(s) });
    engine.register(
      {
        type: "slow",
        thresholdMs: 500,
        tasks: [
          {
            name: "takes-a-second",
            async run() {
              clock += 1_000;
            },
          },
        ],
      },
      { resumable: false },
    );
    engine.register({ type: "quick", thresholdMs: 500, tasks: [{ name: "instant", run: async () => undefined }] }, { resumable: false });

    const result = await engine.start("slow", {});
    await engine.start("quick", {});
    expect(result.durationMs).toBe(1_000);
    expect(slow).toEqual([{ runId: result.runId, type: "slow", durationMs: 1_000, thresholdMs: 500 }]);
    expect(engine.slowRunCount("slow")).toBe(1);
    expect(engine.slowRunCount("quick")).toBe(0);
  });
});
