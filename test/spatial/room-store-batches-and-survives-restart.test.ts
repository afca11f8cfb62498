// The room store writes many rooms' attention state in one statement, reads it back after a restart, and shows unflushed changes first.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SqlExecutor } from "../../src/db/sql.js";
import { createLogger } from "../../src/logger.js";
import { RoomStore, type AttentionModel } from "../../src/spatial/room-store.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";

const logger = createLogger({ level: "silent" });

/** A stand-in attention model: counts messages. The real one (attention.ts) is plugged in by piper.ts's integrator. */
interface Counted {
  messages: number;
  lastAt: number;
}
const counting: AttentionModel = {
  apply: (state, event) => ({ messages: ((state as Counted | undefined)?.messages ?? 0) + 1, lastAt: event.at }),
  score: (state) => ({ score: (state as Counted).messages, updatedAt: (state as Counted).lastAt }),
};
const bump = (at: number) => (state: unknown) => counting.apply(state, { at } as never);

/** The database, with every statement counted by what it does. */
function counted(sql: SqlExecutor) {
  const statements: string[] = [];
  const executor: SqlExecutor = {
    executeSql(text, values, options) {
      statements.push(text.includes('INSERT INTO "Room"') ? "write" : text.includes("unnest($1::text[], $2::text[]) AS k") ? "load" : "other");
      return sql.executeSql(text, values, options);
    },
  };
  return { executor, writes: () => statements.filter((s) => s === "write").length, loads: () => statements.filter((s) => s === "load").length };
}

describe("the room store", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.dispose());

  it("writes many rooms in parts of 100 rows, so no one statement holds the database long; a part that fails is written next time", async () => {
    const sql = counted(db.sql);
    const store = new RoomStore({ sql: sql.executor, score: counting.score, logger, flushMs: 3_600_000 });
    const room = (i: number) => `P${String(i).padStart(3, "0")}`;
    for (let i = 0; i < 250; i++) store.update("T0PARTS01", room(i), bump(1_700_000_000_000 + i), { at: 1_700_000_000_000 + i, kind: "channel" });
    await store.flush();
    expect(sql.writes()).toBe(3);
    // The second part of the next write fails: only its rooms are written again, by the write after.
    for (let i = 0; i < 250; i++) store.update("T0PARTS01", room(i), bump(1_700_000_001_000 + i), { at: 1_700_000_001_000 + i, kind: "channel" });
    let calls = 0;
    const original = sql.executor.executeSql;
    sql.executor.executeSql = (text, values, options) => {
      if (text.includes('INSERT INTO "Room"') && ++calls === 2) return Promise.reject(new Error("the database refused this write"));
      return original(text, values, options);
    };
    await store.flush();
    sql.executor.executeSql = original;
    const before = sql.writes();
    await store.flush();
    expect(sql.writes() - before).toBe(1);
    const { rows } = await db.sql.executeSql(`SELECT count(*)::int AS n FROM "Room" r JOIN "Territory" t ON t.id = r."territoryId" WHERE t."slackTeamId" = 'T0PARTS01' AND (r."attentionState"->>'messages')::int = 2`, []);
    expect(rows[0]!.n).toBe(250);
    await store.close();
  });

  it("writes 1,000 updates over 50 rooms in one statement, and a new store on the same database carries on from them", async () => {
    const sql = counted(db.sql);
    // flushMs far away: the write in this test is the explicit flush, not a timer.
    const store = new RoomStore({ sql: sql.executor, score: counting.score, logger, flushMs: 3_600_000 });
    for (let i = 0; i < 1_000; i++) {
      const room = `C${String(i % 50).padStart(3, "0")}`;
      store.update("T0STORE01", room, bump(1_700_000_000_000 + i), { at: 1_700_000_000_000 + i, kind: i % 50 === 7 ? "private" : "channel" });
    }
    store.describe("T0STORE01", "C007", { name: "leads", topic: "Decisions only", kind: "private" });
    store.nameTerritory("T0STORE01", "Acme");
    await store.flush();
    expect(sql.loads()).toBe(1); // 50 rooms first seen in one tick: one read
    expect(sql.writes()).toBe(1);

    const rows = await db.prisma.room.findMany({ where: { territory: { slackTeamId: "T0STORE01" } }, include: { territory: true }, orderBy: { slackChannelId: "asc" } });
    expect(rows).toHaveLength(50);
    expect(rows.every((r) => (r.attentionState as unknown as Counted).messages === 20 && r.attentionScore === 20)).toBe(true);
    expect(rows[7]).toMatchObject({ slackChannelId: "C007", kind: "private", name: "leads", topic: "Decisions only", territory: { name: "Acme" } });
    expect(rows[0]!.lastActivityAt!.getTime()).toBe(1_700_000_000_000 + 950);
    expect(rows[0]!.attentionUpdatedAt.getTime()).toBe(1_700_000_000_000 + 950);

    // A restart: a new store reads each room once, on first sight, and carries on counting.
    const after = counted(db.sql);
    const restarted = new RoomStore({ sql: after.executor, score: counting.score, logger, flushMs: 3_600_000 });
    for (let i = 0; i < 3; i++) restarted.update("T0STORE01", "C007", bump(1_700_000_001_000 + i), { at: 1_700_000_001_000 + i, kind: "channel" });
    expect(await restarted.get("T0STORE01", "C007")).toMatchObject({ kind: "private", name: "leads", territoryName: "Acme", state: { messages: 23 } });
    restarted.update("T0STORE01", "C007", bump(1_700_000_001_010));
    expect((await restarted.get("T0STORE01", "C007"))!.state).toMatchObject({ messages: 24 });
    expect(after.loads()).toBe(1);
    await restarted.flush();
    expect(after.writes()).toBe(1);
    const c007 = await db.prisma.room.findFirstOrThrow({ where: { slackChannelId: "C007", territory: { slackTeamId: "T0STORE01" } } });
    // The event's channel_type said "channel"; conversations.info had said private, and that stays.
    expect(c007).toMatchObject({ kind: "private", attentionScore: 24, name: "leads" });
  });

  it("shows unflushed changes in allRooms over the stored rows, and rooms only in memory too", async () => {
    const seed = new RoomStore({ sql: db.sql, score: counting.score, logger, flushMs: 3_600_000 });
    seed.update("T0STORE02", "C1", bump(1_000), { at: 1_000, kind: "channel" });
    seed.update("T0STORE02", "C2", bump(1_000), { at: 1_000, kind: "channel" });
    await seed.close();

    const sql = counted(db.sql);
    const store = new RoomStore({ sql: sql.executor, score: counting.score, logger, flushMs: 3_600_000 });
    for (let i = 0; i < 4; i++) store.update("T0STORE02", "C1", bump(2_000 + i), { at: 2_000 + i });
    store.update("T0STORE02", "D9", bump(3_000), { at: 3_000, kind: "dm" });
    const rooms = await store.allRooms("T0STORE02");
    expect(sql.writes()).toBe(0);
    const byRoom = Object.fromEntries(rooms.map((r) => [r.room, r]));
    expect(Object.keys(byRoom).sort()).toEqual(["C1", "C2", "D9"]);
    expect(byRoom.C1).toMatchObject({ score: 5, state: { messages: 5 } });
    expect(byRoom.C2).toMatchObject({ score: 1, state: { messages: 1 } });
    expect(byRoom.D9).toMatchObject({ kind: "dm", score: 1 });
    // Another territory's rooms are not in its list; all territories together include both.
    expect((await store.allRooms()).filter((r) => r.territory === "T0STORE02")).toHaveLength(3);
    await store.close();
    expect(sql.writes()).toBe(1);
  });

  it("keeps at most maxRooms in memory, dropping the least recently used only after they are written back", async () => {
    const sql = counted(db.sql);
    const store = new RoomStore({ sql: sql.executor, score: counting.score, logger, flushMs: 3_600_000, maxRooms: 10 });
    for (let i = 0; i < 30; i++) store.update("T0STORE03", `C${i}`, bump(i), { at: i, kind: "channel" });
    await store.get("T0STORE03", "C0");
    // Nothing written yet: nothing may be dropped.
    expect(store.size).toBe(30);
    await store.flush();
    expect(store.size).toBe(10);
    // A dropped room is read again on its next sight, with its state.
    store.update("T0STORE03", "C0", bump(100));
    expect((await store.get("T0STORE03", "C0"))!.state).toMatchObject({ messages: 2 });
    await store.close();
    expect(await db.prisma.room.count({ where: { territory: { slackTeamId: "T0STORE03" } } })).toBe(30);
  });
});
