// A data folder's PGlite runs in a worker thread; through it Prisma, raw SQL and transactions behave as they do on PGlite itself.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, isUniqueViolation, type Database } from "../../src/db/index.js";
import { DatabaseThreadGone } from "../../src/db/pglite-thread.js";
import { createLogger } from "../../src/logger.js";

const logger = createLogger({ level: "silent" });

describe("PGlite on its own thread", () => {
  let dir: string;
  let db: Database;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "piper-thread-"));
    db = await openDatabase({ kind: "pglite", dataDir: join(dir, "data") }, logger);
  }, 120_000);
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("round-trips Prisma's types: dates, JSON, arrays, numbers", async () => {
    const territory = await db.prisma.territory.create({ data: { slackTeamId: "T-THREAD", name: "Thread" } });
    expect(territory.createdAt).toBeInstanceOf(Date);
    const expiresAt = new Date("2026-12-01T09:30:00.123Z");
    const draft = await db.prisma.issueDraft.create({
      data: { slackTeamId: "T-THREAD", channelId: "C1", requestedBy: "U1", repo: "acme/web", title: "t", body: "b", labels: ["bug", "p1"], source: "message", expiresAt, duplicate: { number: 3, title: "x" }, requestId: "r-1", issueNumber: 42 },
    });
    const read = await db.prisma.issueDraft.findUniqueOrThrow({ where: { id: draft.id } });
    expect(read.expiresAt.toISOString()).toBe(expiresAt.toISOString());
    expect(read.labels).toEqual(["bug", "p1"]);
    expect(read.duplicate).toEqual({ number: 3, title: "x" });
    expect(read.issueNumber).toBe(42);
    const schedule = await db.prisma.standupSchedule.create({ data: { slackTeamId: "T-THREAD", channelId: "C1", days: [1, 2, 3], time: "09:30", timeZone: "UTC", createdBy: "U1" } });
    expect((await db.prisma.standupSchedule.findUniqueOrThrow({ where: { id: schedule.id } })).days).toEqual([1, 2, 3]);
  });

  it.runIf(process.platform === "linux")("runs at a lower CPU priority than the thread that answers Slack (nice 5, its thread only)", async () => {
    const { readdirSync, readFileSync } = await import("node:fs");
    // /proc/<pid>/task/<tid>/stat: the 19th field is the thread's nice value (after the parenthesised name).
    const niceOf = (tid: string) => Number(readFileSync(`/proc/self/task/${tid}/stat`, "utf8").split(") ")[1]!.split(" ")[16]);
    const nices = readdirSync("/proc/self/task").map(niceOf);
    expect(nices).toContain(5);
    // Linux applies it to the calling thread only: the main thread keeps the process's priority.
    expect(niceOf(String(process.pid))).not.toBe(5);
  });

  it("reports a unique violation as Prisma does on PGlite", async () => {
    await db.prisma.territory.create({ data: { slackTeamId: "T-TWICE" } });
    const err = await db.prisma.territory.create({ data: { slackTeamId: "T-TWICE" } }).catch((e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);
  });

  it("keeps outside statements out of an open transaction, and rolls back a failed one", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let inside!: () => void;
    const begun = new Promise<void>((r) => (inside = r));
    const tx = db.prisma.$transaction(async (t) => {
      await t.territory.create({ data: { slackTeamId: "T-TX" } });
      inside();
      await gate;
      await t.territory.create({ data: { slackTeamId: "T-TX-2" } });
    });
    await begun;
    let counted: number | undefined;
    const outside = db.prisma.territory.count({ where: { slackTeamId: { startsWith: "T-TX" } } }).then((n) => (counted = n));
    // However long it is given, the outside statement is not sent while the transaction is open.
    await new Promise((r) => setTimeout(r, 50));
    expect(counted).toBeUndefined();
    release();
    await tx;
    await outside;
    expect(counted).toBe(2);

    const failed = await db.prisma
      .$transaction(async (t) => {
        await t.territory.create({ data: { slackTeamId: "T-ROLLED-BACK" } });
        throw new Error("changed my mind");
      })
      .catch((e: unknown) => e);
    expect(String(failed)).toContain("changed my mind");
    expect(await db.prisma.territory.count({ where: { slackTeamId: "T-ROLLED-BACK" } })).toBe(0);
  });

  it("recovers from a script that fails half-way (pg-boss's path): the session is not left in an aborted transaction", async () => {
    await expect(db.sql.executeSql("BEGIN; SELECT 1/0;")).rejects.toThrow(/division by zero/);
    expect((await db.sql.executeSql("SELECT 2 AS two", [])).rows).toEqual([{ two: 2 }]);
    expect(await db.prisma.territory.count({ where: { slackTeamId: "T-TWICE" } })).toBe(1);
  });

  it("runs an urgent statement (a request's record) before statements already waiting", async () => {
    const finished: string[] = [];
    const heavy = (name: string) => db.sql.executeSql(`SELECT count(*) FROM generate_series(1, 1500000)`, []).then(() => void finished.push(name));
    const waiting = [heavy("first"), heavy("second"), heavy("third"), heavy("fourth")];
    // The first is running by now (or soon); the urgent one is sent behind all four.
    await new Promise((r) => setTimeout(r, 20));
    const urgent = db.sql.executeSql(`SELECT 1 AS one`, [], { urgent: true }).then(() => void finished.push("urgent"));
    await Promise.all([...waiting, urgent]);
    expect(finished.indexOf("urgent")).toBeLessThan(finished.indexOf("third"));
    expect(finished.filter((n) => n !== "urgent")).toEqual(["first", "second", "third", "fourth"]);
  });

  it("keeps the data across a close and a reopen; after close, a statement fails with a sentence", async () => {
    await db.close();
    await expect(db.sql.executeSql("SELECT 1")).rejects.toBeInstanceOf(DatabaseThreadGone);
    expect(await db.ping()).toBe(false);
    db = await openDatabase({ kind: "pglite", dataDir: join(dir, "data") }, logger);
    expect(await db.prisma.territory.count({ where: { slackTeamId: { in: ["T-THREAD", "T-TWICE", "T-TX", "T-TX-2"] } } })).toBe(4);
    expect(await db.ping()).toBe(true);
  });
});
