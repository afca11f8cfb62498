// Every run and task is recorded; a run whose owner died (lease expired) is resumed by another instance
// from its finished tasks, or failed "interrupted" — never left running.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PrismaRunStore, type RunStore } from "../../src/workflows/run-store.js";
import type { TaskContext, WorkflowContext, WorkflowSpec } from "../../src/workflows/types.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { deferred, engineOn, silent, taskRows, until } from "./helpers.js";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.dispose();
});
beforeEach(async () => {
  await db.prisma.workflowRun.deleteMany();
});

const HOUR = 3_600_000;
const later = () => Date.now() + HOUR;

/** A run as a dead owner left it: `fetch` done, `post` started but never finished, `summarise` not started. */
async function leftRunning(type: string, leaseUntil = new Date(Date.now() - 1_000)): Promise<string> {
  const id = `run-${Math.random().toString(36).slice(2)}`;
  const started = new Date(Date.now() - 5_000);
  await db.prisma.workflowRun.create({
    data: {
      id,
      type,
      status: "running",
      input: { channel: "C1" },
      slackTeamId: "T1",
      slackChannelId: "C1",
      threadTs: `17000.${id}`,
      owner: "dead-instance",
      leaseUntil,
      startedAt: started,
      tasks: {
        create: [
          { name: "fetch", status: "succeeded", output: { issues: [1, 2] }, attempt: 1, idempotencyKey: `${id}:fetch`, startedAt: started, finishedAt: started },
          { name: "post", status: "running", attempt: 1, idempotencyKey: `${id}:post`, startedAt: started },
          { name: "summarise", status: "pending", idempotencyKey: `${id}:summarise` },
        ],
      },
    },
  });
  return id;
}

/** The real store, counting recovery's looks for expired runs (the first one failing, when asked). */
function countingLooks(options: { failFirst?: Error } = {}): { store: RunStore; looks: () => number } {
  const real = new PrismaRunStore(db);
  let looks = 0;
  const store: RunStore = {
    async findExpired(now) {
      looks++;
      if (looks === 1 && options.failFirst) throw options.failFirst;
      return real.findExpired(now);
    },
    write: (batch) => real.write(batch),
    renewLeases: (...args) => real.renewLeases(...args),
    claim: (...args) => real.claim(...args),
    load: (runId) => real.load(runId),
  };
  return { store, looks: () => looks };
}

function recoverable(type: string, calls: { fetch: number; post: TaskContext[]; summarise: Record<string, unknown>[] }): WorkflowSpec {
  return {
    type,
    thresholdMs: 60_000,
    tasks: [
      {
        name: "fetch",
        async run() {
          calls.fetch++;
          return { issues: ["refetched"] };
        },
      },
      {
        name: "post",
        async run(ctx) {
          calls.post.push(ctx);
          return { ts: "1.2" };
        },
      },
      {
        name: "summarise",
        dependsOn: ["fetch", "post"],
        async run({ inputs }) {
          calls.summarise.push(inputs);
          return "done";
        },
      },
    ],
  };
}

describe("WorkflowEngine persistence", () => {
  it("records the run and every task: statuses, attempts, idempotency keys, timings, outputs", async () => {
    const engine = engineOn(db, { instanceId: "piper-a" });
    engine.register(
      {
        type: "recorded",
        thresholdMs: 60_000,
        tasks: [
          { name: "a", run: async () => ({ n: 1 }) },
          { name: "b", dependsOn: ["a"], run: async ({ inputs }) => [inputs.a, 2] },
        ],
      },
      { resumable: true },
    );
    const result = await engine.start("recorded", { q: "status" }, { teamId: "T1", channelId: "C1", threadTs: "123.4" });
    const run = await db.prisma.workflowRun.findUniqueOrThrow({ where: { id: result.runId } });
    expect(run).toMatchObject({
      type: "recorded",
      status: "succeeded",
      owner: "piper-a",
      leaseUntil: null,
      input: { q: "status" },
      slackTeamId: "T1",
      slackChannelId: "C1",
      threadTs: "123.4",
      error: null,
      result: { status: "succeeded", failures: [], skipped: [] },
    });
    expect(run.finishedAt!.getTime()).toBeGreaterThanOrEqual(run.startedAt!.getTime());
    const rows = await taskRows(db, result.runId);
    for (const name of ["a", "b"]) {
      const row = rows.get(name)!;
      expect(row).toMatchObject({ status: "succeeded", attempt: 1, critical: true, idempotencyKey: `${result.runId}:${name}`, error: null });
      expect(row.finishedAt!.getTime()).toBeGreaterThanOrEqual(row.startedAt!.getTime());
    }
    expect(rows.get("a")!.output).toEqual({ n: 1 });
    expect(rows.get("b")!.output).toEqual([{ n: 1 }, 2]);
  });

  it("renews the lease of a run while it runs", async () => {
    const engine = engineOn(db, { instanceId: "piper-a", leaseMs: 300 });
    let first: number | undefined;
    engine.register(
      {
        type: "long",
        thresholdMs: 60_000,
        tasks: [
          {
            name: "waits-for-renewal",
            async run() {
              // Finishes only once the recorded lease has moved on (renewed every lease/3). A read-only
              // task starts before its run's insert has landed: until then there is no row to read.
              for (;;) {
                const run = await db.prisma.workflowRun.findFirst({ where: { type: "long" } });
                if (run) {
                  first ??= run.leaseUntil!.getTime();
                  if (run.leaseUntil!.getTime() > first) return run.leaseUntil!.getTime();
                }
                await new Promise((r) => setTimeout(r, 20));
              }
            },
          },
        ],
      },
      { resumable: false },
    );
    const result = await engine.start("long", {});
    expect(result.status).toBe("succeeded");
    expect(result.outputs["waits-for-renewal"]).toBeGreaterThan(first!);
  });
});

describe("WorkflowEngine recovery", () => {
  it("resumes a run whose lease expired without re-running finished tasks; a started task gets attempt + 1 and the same key", async () => {
    const id = await leftRunning("digest");
    const calls = { fetch: 0, post: [] as TaskContext[], summarise: [] as Record<string, unknown>[] };
    const engine = engineOn(db, { instanceId: "piper-b", now: later });
    engine.register(recoverable("digest", calls), { resumable: true });

    expect(await engine.recoverExpired()).toBe(1);

    expect(calls.fetch).toBe(0);
    expect(calls.post).toHaveLength(1);
    expect(calls.post[0]).toMatchObject({ attempt: 2, idempotencyKey: `${id}:post`, input: { channel: "C1" } });
    expect(calls.summarise).toEqual([{ fetch: { issues: [1, 2] }, post: { ts: "1.2" } }]);
    const run = await db.prisma.workflowRun.findUniqueOrThrow({ where: { id } });
    expect(run).toMatchObject({ status: "succeeded", owner: "piper-b", leaseUntil: null });
    const rows = await taskRows(db, id);
    expect(rows.get("fetch")).toMatchObject({ status: "succeeded", attempt: 1 });
    expect(rows.get("post")).toMatchObject({ status: "succeeded", attempt: 2, output: { ts: "1.2" } });
    expect(rows.get("summarise")).toMatchObject({ status: "succeeded", attempt: 1, output: "done" });
    expect(await db.prisma.taskRun.count({ where: { status: "running" } })).toBe(0);
  });

  it("fails a run as interrupted when its type is not resumable, or not registered here, and tells the caller once per run", async () => {
    const notResumable = await leftRunning("one-shot");
    const unknown = await leftRunning("retired-type");
    const calls = { fetch: 0, post: [] as TaskContext[], summarise: [] as Record<string, unknown>[] };
    const interrupted: Array<{ runId: string; type: string; context: WorkflowContext }> = [];
    const engine = engineOn(db, { instanceId: "piper-b", now: later, onRunInterrupted: (run) => void interrupted.push(run) });
    engine.register(recoverable("one-shot", calls), { resumable: false });

    expect(await engine.recoverExpired()).toBe(2);
    expect(await engine.recoverExpired()).toBe(0); // nothing left to fail: the hook is not called again

    expect(interrupted.sort((a, b) => a.type.localeCompare(b.type))).toEqual([
      { runId: notResumable, type: "one-shot", context: { teamId: "T1", channelId: "C1", threadTs: `17000.${notResumable}` } },
      { runId: unknown, type: "retired-type", context: { teamId: "T1", channelId: "C1", threadTs: `17000.${unknown}` } },
    ]);
    expect(calls).toEqual({ fetch: 0, post: [], summarise: [] });
    for (const id of [notResumable, unknown]) {
      const run = await db.prisma.workflowRun.findUniqueOrThrow({ where: { id } });
      expect(run).toMatchObject({ status: "failed", error: "interrupted", owner: "piper-b" });
      const rows = await taskRows(db, id);
      expect(rows.get("fetch")!.status).toBe("succeeded");
      expect(rows.get("post")).toMatchObject({ status: "failed", error: "interrupted" });
      expect(rows.get("summarise")).toMatchObject({ status: "cancelled", error: "interrupted" });
    }
    expect(await db.prisma.workflowRun.count({ where: { status: "running" } })).toBe(0);
    expect(await db.prisma.taskRun.count({ where: { status: { in: ["running", "pending"] } } })).toBe(0);
  });

  it("fails a run that answers a request without announcing it: the redelivered request answers the thread instead", async () => {
    const answered = await leftRunning("draft-like");
    const calls = { fetch: 0, post: [] as TaskContext[], summarise: [] as Record<string, unknown>[] };
    const interrupted: string[] = [];
    const engine = engineOn(db, { instanceId: "piper-b", now: later, onRunInterrupted: (run) => void interrupted.push(run.runId) });
    engine.register(recoverable("draft-like", calls), { resumable: false, answersRequest: true });

    expect(await engine.recoverExpired()).toBe(1);
    expect(interrupted).toEqual([]);
    expect(await db.prisma.workflowRun.findUniqueOrThrow({ where: { id: answered } })).toMatchObject({ status: "failed", error: "interrupted" });
  });

  it("startRecovery looks again every interval: a run whose lease was still valid at the first look is picked up once it expires", async () => {
    let clock = Date.now();
    const leaseUntil = new Date(clock + 60_000);
    const id = await leftRunning("digest", leaseUntil);
    const calls = { fetch: 0, post: [] as TaskContext[], summarise: [] as Record<string, unknown>[] };
    const { store, looks } = countingLooks();
    const engine = engineOn(db, { store, instanceId: "piper-b", now: () => clock });
    engine.register(recoverable("digest", calls), { resumable: true });
    try {
      engine.startRecovery(20);
      // The first passes find the dead owner's lease still valid and leave the run alone.
      await until(() => looks() >= 3);
      expect(await db.prisma.workflowRun.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "running", owner: "dead-instance" });
      expect(calls.post).toHaveLength(0);
      clock = leaseUntil.getTime() + 1; // the lease runs out: a later pass takes the run over
      await until(async () => (await db.prisma.workflowRun.findUniqueOrThrow({ where: { id } })).status === "succeeded");
    } finally {
      engine.close();
    }
    expect(calls.post).toHaveLength(1);
    expect(calls.post[0]).toMatchObject({ attempt: 2, idempotencyKey: `${id}:post` });
    expect(await db.prisma.workflowRun.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "succeeded", owner: "piper-b" });
  });

  it("startRecovery logs a failing look and keeps looking; close() stops it", async () => {
    const errors: unknown[] = [];
    const { store, looks } = countingLooks({ failFirst: new Error("database briefly unreachable") });
    const logger = { info() {}, warn() {}, error: (obj: unknown) => void errors.push(obj) } as unknown as typeof silent;
    const engine = engineOn(db, { store, logger });
    engine.startRecovery(10);
    await until(() => looks() >= 3);
    engine.close();
    const after = looks();
    await new Promise((r) => setTimeout(r, 100));
    expect(errors).toEqual([expect.objectContaining({ err: expect.objectContaining({ message: "database briefly unreachable" }) })]);
    expect(looks()).toBeLessThanOrEqual(after + 1); // a pass already under way may finish; no new ones start
  });

  it("leaves alone a run whose lease has not expired", async () => {
    const id = await leftRunning("digest", new Date(Date.now() + 10 * HOUR));
    const engine = engineOn(db, { instanceId: "piper-b", now: later });
    engine.register(recoverable("digest", { fetch: 0, post: [], summarise: [] }), { resumable: true });
    expect(await engine.recoverExpired()).toBe(0);
    expect(await db.prisma.workflowRun.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "running", owner: "dead-instance" });
  });

  it("takes over a live engine's stalled run: the new owner finishes it, the old one stops writing", async () => {
    const stalled = deferred();
    const release = deferred<string>();
    const spec = (): WorkflowSpec => ({
      type: "stalls",
      thresholdMs: 60_000,
      tasks: [
        { name: "first", run: async () => "first" },
        {
          name: "slow",
          dependsOn: ["first"],
          // Acts only once its start (and so `first`'s end, written before it) is recorded: the takeover
          // below finds `first` done and `slow` started.
          sideEffects: true,
          async run({ attempt }) {
            if (attempt > 1) return `attempt ${attempt}`;
            stalled.resolve();
            return release.promise; // the first owner is stuck here (a long GC pause, a hung socket)
          },
        },
      ],
    });
    const a = engineOn(db, { instanceId: "piper-a" });
    a.register(spec(), { resumable: true });
    const b = engineOn(db, { instanceId: "piper-b", now: later });
    b.register(spec(), { resumable: true });

    const runningOnA = a.start("stalls", {});
    await stalled.promise;
    expect(await b.recoverExpired()).toBe(1);
    release.resolve("from a");
    const resultOnA = await runningOnA;
    a.close();

    expect(resultOnA.status).toBe("failed"); // A learned it lost the run and wrote nothing more
    const run = await db.prisma.workflowRun.findUniqueOrThrow({ where: { id: resultOnA.runId } });
    expect(run).toMatchObject({ status: "succeeded", owner: "piper-b" });
    const rows = await taskRows(db, run.id);
    expect(rows.get("first")).toMatchObject({ status: "succeeded", attempt: 1 });
    expect(rows.get("slow")).toMatchObject({ status: "succeeded", attempt: 2, output: "attempt 2" });
  });
});
