// What the engine waits for, and what it writes behind the run: a side-effecting task acts only once its
// start is recorded; read-only tasks start at once, their transitions batched and written behind them,
// all of them (and the run's end) recorded by the time start() resolves; writes to a run stay in order.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaRunStore, type RunStore, type RunWrite } from "../../src/workflows/run-store.js";
import type { TaskSpec } from "../../src/workflows/types.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { deferred, engineOn, taskRows } from "./helpers.js";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.dispose();
});

/** The real store, with every batch the engine writes kept (a copy, taken when it is written). */
function recordingStore(options: { failInsert?: Error } = {}): { store: RunStore; writes: RunWrite[] } {
  const real = new PrismaRunStore(db);
  const writes: RunWrite[] = [];
  const store: RunStore = {
    async write(batch) {
      writes.push(structuredClone(batch));
      if (batch.create && options.failInsert) throw options.failInsert;
      return real.write(batch);
    },
    renewLeases: (...args) => real.renewLeases(...args),
    findExpired: (...args) => real.findExpired(...args),
    claim: (...args) => real.claim(...args),
    load: (...args) => real.load(...args),
  };
  return { store, writes };
}

describe("WorkflowEngine records behind the critical path", () => {
  it("calls a side-effecting task only once its start row says running, with this attempt", async () => {
    const engine = engineOn(db);
    let seen: { status: string; attempt: number; startedAt: Date | null } | undefined;
    engine.register(
      {
        type: "posts",
        thresholdMs: 60_000,
        tasks: [
          {
            name: "post",
            sideEffects: true,
            async run({ idempotencyKey }) {
              const row = await db.prisma.taskRun.findFirstOrThrow({ where: { idempotencyKey } });
              seen = { status: row.status, attempt: row.attempt, startedAt: row.startedAt };
              return "posted";
            },
          },
        ],
      },
      { resumable: true },
    );
    const result = await engine.start("posts", {});

    expect(result.status).toBe("succeeded");
    expect(seen).toMatchObject({ status: "running", attempt: 1 });
    expect(seen!.startedAt).toBeInstanceOf(Date);
  });

  it("a side-effecting task after a read-only one finds its dependency's end recorded before it acts", async () => {
    const engine = engineOn(db);
    let dependency: { status: string; output: unknown } | undefined;
    engine.register(
      {
        type: "read-then-post",
        thresholdMs: 60_000,
        tasks: [
          { name: "read", run: async () => ({ issues: 3 }) },
          {
            name: "post",
            dependsOn: ["read"],
            sideEffects: true,
            async run({ idempotencyKey }) {
              const runId = idempotencyKey.slice(0, idempotencyKey.lastIndexOf(":"));
              const row = (await taskRows(db, runId)).get("read")!;
              dependency = { status: row.status, output: row.output };
            },
          },
        ],
      },
      { resumable: true },
    );
    const result = await engine.start("read-then-post", {});

    expect(result.status).toBe("succeeded");
    expect(dependency).toEqual({ status: "succeeded", output: { issues: 3 } });
  });

  it("starts read-only tasks without waiting for the database, and has recorded all their transitions when start() resolves", async () => {
    const { store, writes } = recordingStore();
    const engine = engineOn(db, { store });
    const release = deferred();
    const allStarted = deferred();
    let started = 0;
    let writesWhenAllStarted = -1;
    const tasks: TaskSpec[] = [0, 1, 2].map((i) => ({
      name: `read${i}`,
      async run() {
        if (++started === 3) {
          writesWhenAllStarted = writes.length;
          allStarted.resolve();
        }
        await release.promise;
        return { i };
      },
    }));
    engine.register({ type: "reads", thresholdMs: 60_000, tasks }, { resumable: true });

    const running = engine.start("reads", {});
    await allStarted.promise;
    release.resolve();
    const result = await running;

    // All three were running before the run's insert was even sent: nothing waited for a write.
    expect(writesWhenAllStarted).toBe(0);
    expect(result.status).toBe("succeeded");
    const run = await db.prisma.workflowRun.findUniqueOrThrow({ where: { id: result.runId } });
    expect(run).toMatchObject({ status: "succeeded", leaseUntil: null, result: { status: "succeeded", failures: [], skipped: [] } });
    const rows = await taskRows(db, result.runId);
    for (const i of [0, 1, 2]) {
      const row = rows.get(`read${i}`)!;
      expect(row).toMatchObject({ status: "succeeded", attempt: 1, output: { i }, error: null });
      expect(row.finishedAt!.getTime()).toBeGreaterThanOrEqual(row.startedAt!.getTime());
    }
    // The insert went first; the last batch carried the run's end.
    expect(writes[0]!.create?.id).toBe(result.runId);
    expect(writes.slice(1).every((w) => w.create === undefined)).toBe(true);
    expect(writes.at(-1)!.finish).toMatchObject({ status: "succeeded" });
  });

  it("batches: a run of ten no-op tasks is one statement (its insert holds the tasks' ends and the run's)", async () => {
    const { store, writes } = recordingStore();
    const engine = engineOn(db, { store, concurrency: 10 });
    const tasks: TaskSpec[] = Array.from({ length: 10 }, (_, i) => ({ name: `t${i}`, run: async () => i }));
    engine.register({ type: "noops", thresholdMs: 60_000, tasks }, { resumable: false });

    const result = await engine.start("noops", {});

    expect(writes).toHaveLength(1);
    expect(writes[0]!.create).toBeDefined();
    expect(writes[0]!.finish).toMatchObject({ status: "succeeded" });
    const rows = await taskRows(db, result.runId);
    expect([...rows.values()].map((r) => [r.name, r.status, r.attempt, r.output]).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => [`t${i}`, "succeeded", 1, i]).sort(),
    );
  });

  it("an output that is not JSON is recorded without it, and does not cost its batch-mates theirs", async () => {
    const engine = engineOn(db);
    engine.register(
      {
        type: "bigint",
        thresholdMs: 60_000,
        tasks: [
          { name: "huge", run: async () => 2n ** 70n },
          { name: "plain", run: async () => ({ ok: true }) },
        ],
      },
      { resumable: false },
    );
    const result = await engine.start("bigint", {});
    expect(result.status).toBe("succeeded");
    expect(result.outputs.huge).toBe(2n ** 70n); // handed on in this process as it is
    const rows = await taskRows(db, result.runId);
    expect(rows.get("huge")).toMatchObject({ status: "succeeded", output: null });
    expect(rows.get("plain")).toMatchObject({ status: "succeeded", output: { ok: true } });
  });

  it("fails start() when the run cannot be recorded, and never calls a side-effecting task", async () => {
    const { store } = recordingStore({ failInsert: new Error("database unreachable") });
    const engine = engineOn(db, { store });
    let posted = false;
    engine.register(
      {
        type: "unrecorded",
        thresholdMs: 60_000,
        tasks: [
          { name: "read", run: async () => 1 },
          { name: "post", sideEffects: true, run: async () => (posted = true) },
        ],
      },
      { resumable: true },
    );
    await expect(engine.start("unrecorded", {})).rejects.toThrow("database unreachable");
    expect(posted).toBe(false);
    expect(await db.prisma.workflowRun.count({ where: { type: "unrecorded" } })).toBe(0);
  });
});
