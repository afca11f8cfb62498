// The durable record behind every ack: one job per Slack event, deferred while answered in-process, recovered when abandoned.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { startJobEngine, type JobEngine } from "../../src/jobs/job-engine.js";
import { AcceptedEvents, ACCEPTED_QUEUE, type RecoveredRequest } from "../../src/slack/accepted-events.js";
import type { Inbound } from "../../src/slack/inbound.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";

const logger = createLogger({ level: "silent" });

function inbound(id: string): Inbound {
  return { id, source: "mention", territory: "T1", room: { id: "C1", kind: "channel" }, threadTs: "1.1", ts: "1.1", user: "U1", text: `hello ${id}`, history: [] };
}

async function jobState(db: TestDatabase, id: string): Promise<string | undefined> {
  const { rows } = await db.sql.executeSql(`SELECT state FROM pgboss.job WHERE name = $1 AND id = $2`, [ACCEPTED_QUEUE, id]);
  return rows[0]?.state as string | undefined;
}

describe("accepted requests", () => {
  let db: TestDatabase;
  let boss: JobEngine;
  const recovered: RecoveredRequest[] = [];
  let accepted: AcceptedEvents;

  beforeAll(async () => {
    db = await createTestDatabase();
    boss = await startJobEngine({ sql: db.sql, logger, maintenanceIntervalSeconds: 1 });
    accepted = await AcceptedEvents.create({ boss, sql: db.sql, logger, leaseMs: 3_000, expireInSeconds: 30, recoveryConcurrency: 2, pollingIntervalSeconds: 0.5 });
    await accepted.startRecovery(async (job) => void recovered.push(job));
  });
  afterAll(async () => {
    await accepted?.close();
    await boss?.stop({ graceful: false, wait: true });
    await db?.dispose();
  });

  it("records an event once: a redelivery — even after it was answered — is a duplicate", async () => {
    expect(await accepted.accept(inbound("Ev1"))).toBe("recorded");
    expect(await accepted.accept(inbound("Ev1"))).toBe("duplicate");
    const id = AcceptedEvents.jobId(inbound("Ev1"));
    accepted.settle(id);
    await expect.poll(() => jobState(db, id), { timeout: 10_000 }).toBe("cancelled");
    expect(await accepted.accept(inbound("Ev1"))).toBe("duplicate");
  });

  it("keeps renewing the lease while the request is answered here, so no worker takes it", async () => {
    const id = AcceptedEvents.jobId(inbound("Ev2"));
    expect(await accepted.accept(inbound("Ev2"))).toBe("recorded");
    // Three lease lengths later it is still deferred and nobody recovered it.
    await new Promise((r) => setTimeout(r, 7_000));
    expect(await jobState(db, id)).toBe("created");
    expect(recovered.some((r) => r.id === id)).toBe(false);
    accepted.settle(id);
    await expect.poll(() => jobState(db, id), { timeout: 10_000 }).toBe("cancelled");
  });

  it("a request released (Slack refused the answer) becomes due when its lease runs out, and a worker gets it with its data", async () => {
    const id = AcceptedEvents.jobId(inbound("Ev3"));
    expect(await accepted.accept(inbound("Ev3"))).toBe("recorded");
    accepted.release(id);
    const job = await expect.poll(() => recovered.find((r) => r.id === id), { timeout: 20_000 }).toBeTruthy().then(() => recovered.find((r) => r.id === id)!);
    expect(job.request.inbound).toMatchObject({ id: "Ev3", text: "hello Ev3", room: { id: "C1" }, threadTs: "1.1" });
    expect(job.attempt).toBe(0);
  });

  it("handing over makes a request due at once (shutdown, overflow)", async () => {
    const id = AcceptedEvents.jobId(inbound("Ev4"));
    expect(await accepted.accept(inbound("Ev4"))).toBe("recorded");
    await accepted.handOver([id]);
    accepted.wakeWorker();
    await expect.poll(() => recovered.some((r) => r.id === id), { timeout: 10_000 }).toBe(true);
    expect(accepted.isInFlight(id)).toBe(false);
  });
});

describe("recording under load", () => {
  it("while one record statement is in flight, the requests arriving meanwhile wait and are recorded together in the next", async () => {
    const db = await createTestDatabase();
    const boss = await startJobEngine({ sql: db.sql, logger, maintenanceIntervalSeconds: 60 });
    // The executor the record statements go through, holding the first insert until released.
    const inserts: number[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const sql = {
      async executeSql(text: string, values?: unknown[]) {
        if (/INSERT INTO/i.test(text) && /RETURNING id/.test(text)) {
          inserts.push((JSON.parse(String(values![0])) as unknown[]).length);
          if (inserts.length === 1) await held;
        }
        return db.sql.executeSql(text, values);
      },
    };
    const accepted = await AcceptedEvents.create({ boss, sql, logger, leaseMs: 30_000, expireInSeconds: 60, recoveryConcurrency: 1 });
    try {
      const first = accepted.accept(inbound("EvLoad0"));
      await expect.poll(() => inserts.length).toBe(1);
      const later = Array.from({ length: 5 }, (_, i) => accepted.accept(inbound(`EvLoad${i + 1}`)));
      // However long the first takes, the others don't start statements of their own.
      await new Promise((r) => setTimeout(r, 50));
      expect(inserts).toEqual([1]);
      release();
      expect(await Promise.all([first, ...later])).toEqual(Array(6).fill("recorded"));
      expect(inserts).toEqual([1, 5]);
    } finally {
      await accepted.close();
      await boss.stop({ graceful: false, wait: true });
      await db.dispose();
    }
  });
});

describe("record statements under load", () => {
  it("start at most every minRecordIntervalMs: requests arriving soon after one go together in the next", async () => {
    const db = await createTestDatabase();
    const boss = await startJobEngine({ sql: db.sql, logger, maintenanceIntervalSeconds: 60 });
    const inserts: number[] = [];
    const sql = {
      async executeSql(text: string, values?: unknown[]) {
        if (/INSERT INTO/i.test(text) && /RETURNING id/.test(text)) inserts.push((JSON.parse(String(values![0])) as unknown[]).length);
        return db.sql.executeSql(text, values);
      },
    };
    // Long enough that the gaps below, on however busy a machine, fall inside it.
    const accepted = await AcceptedEvents.create({ boss, sql, logger, leaseMs: 30_000, expireInSeconds: 60, recoveryConcurrency: 1, minRecordIntervalMs: 1_500 });
    try {
      // Quiet: recorded at once, in a statement of its own.
      expect(await accepted.accept(inbound("EvPace0"))).toBe("recorded");
      expect(inserts).toEqual([1]);
      // Arriving apart (not in one turn of the event loop), within the interval: one statement for both.
      const second = accepted.accept(inbound("EvPace1"));
      await new Promise((r) => setTimeout(r, 20));
      const third = accepted.accept(inbound("EvPace2"));
      expect(await Promise.all([second, third])).toEqual(["recorded", "recorded"]);
      expect(inserts).toEqual([1, 2]);
    } finally {
      await accepted.close();
      await boss.stop({ graceful: false, wait: true });
      await db.dispose();
    }
  });
});

describe("two Piper instances on one PostgreSQL", () => {
  it.skipIf(!process.env.PIPER_TEST_DATABASE_URL)("racing for the same Slack event: exactly one records it, every time", async () => {
    const db = await createTestDatabase();
    // A second, separately opened connection pool and job engine: another instance of the same deployment.
    const { openDatabase } = await import("../../src/db/index.js");
    const other = await openDatabase({ kind: "postgres", url: db.url! }, logger, { migrate: false });
    const bossA = await startJobEngine({ sql: db.sql, logger, maintenanceIntervalSeconds: 60 });
    const bossB = await startJobEngine({ sql: other.sql, logger, maintenanceIntervalSeconds: 60 });
    const settings = { logger, leaseMs: 30_000, expireInSeconds: 60, recoveryConcurrency: 1 };
    const a = await AcceptedEvents.create({ boss: bossA, sql: db.sql, ...settings });
    const b = await AcceptedEvents.create({ boss: bossB, sql: other.sql, ...settings });
    try {
      for (let i = 0; i < 20; i++) {
        const outcomes = await Promise.all([a.accept(inbound(`EvRace${i}`)), b.accept(inbound(`EvRace${i}`))]);
        expect(outcomes.sort()).toEqual(["duplicate", "recorded"]);
      }
    } finally {
      await a.close();
      await b.close();
      await bossA.stop({ graceful: false, wait: true });
      await bossB.stop({ graceful: false, wait: true });
      await other.close();
      await db.dispose();
    }
  });
});
