// Room memory is the database's, not the process's: remember, link and forget round-trip, and what's remembered is still there after the database is closed and opened again — on a PGlite folder, and on PostgreSQL when a server is given.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Config } from "../../src/config.js";
import { openDatabase } from "../../src/db/index.js";
import { createLogger } from "../../src/logger.js";
import { LINKED_REPO_KEY, MAX_NOTES, noteKey, RoomMemoryStore, TooManyNotesError } from "../../src/spatial/memory.js";
import { busiestHours, hoursText, intentHistogram, roomProfile } from "../../src/spatial/room-profile.js";
import { createTestDatabase, createTestServerDatabase, testServerUrl, type TestDatabase } from "../support/database.js";
import { seededDataFolder } from "../support/pglite-template.js";

const logger = createLogger({ level: "silent" });
const AT = new Date("2025-03-04T09:30:00Z");

describe("room memory store", () => {
  let db: TestDatabase;
  let store: RoomMemoryStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    store = new RoomMemoryStore(db.prisma, () => AT);
  });
  afterAll(async () => db?.dispose());

  it("remembers, links and forgets, creating the territory and room it needs", async () => {
    expect(await store.facts("T1", "C1")).toEqual([]);
    const note = await store.note("T1", "C1", "we deploy on tuesdays", "U1");
    expect(note).toEqual({ key: "note:we-deploy-on-tuesdays", kind: "note", text: "we deploy on tuesdays", by: "U1", at: AT.toISOString() });
    await store.linkRepo("T1", "C1", "acme/web", "U2");
    expect(await store.linkedRepo("T1", "C1")).toBe("acme/web");
    expect((await db.prisma.room.findFirstOrThrow({ where: { slackChannelId: "C1" }, include: { territory: true } })).territory.slackTeamId).toBe("T1");

    // The same words again refresh the note instead of adding a copy; the link comes first.
    await store.note("T1", "C1", "We deploy on Tuesdays!", "U3");
    expect((await store.facts("T1", "C1")).map((f) => [f.key, f.text, f.by])).toEqual([
      [LINKED_REPO_KEY, "acme/web", "U2"],
      ["note:we-deploy-on-tuesdays", "We deploy on Tuesdays!", "U3"],
    ]);

    // Another room, another territory: nothing leaks.
    expect(await store.linkedRepo("T1", "C2")).toBeUndefined();
    expect(await store.linkedRepo("T2", "C1")).toBeUndefined();

    expect((await store.forget("T1", "C1", "deploys are on tuesdays")).removed.map((f) => f.text)).toEqual(["We deploy on Tuesdays!"]);
    expect(await store.forget("T1", "C1", "the deploy day")).toEqual({ removed: [], ambiguous: [] });
    expect((await store.forget("T1", "C1", LINKED_REPO_KEY)).removed.map((f) => f.text)).toEqual(["acme/web"]);
    expect(await store.facts("T1", "C1")).toEqual([]);
  });

  it("forgets one note only when one matches best, and everything on request", async () => {
    await store.note("T1", "C3", "we deploy on tuesdays", "U1");
    await store.note("T1", "C3", "we deploy hotfixes on fridays", "U1");
    await store.linkRepo("T1", "C3", "acme/api", "U1");
    const vague = await store.forget("T1", "C3", "the deploy thing");
    expect(vague.removed).toEqual([]);
    // Same moment (the fixed clock), so by key.
    expect(vague.ambiguous.map((f) => f.text)).toEqual(["we deploy hotfixes on fridays", "we deploy on tuesdays"]);
    expect((await store.forget("T1", "C3", "the friday hotfixes")).removed.map((f) => f.text)).toEqual(["we deploy hotfixes on fridays"]);
    expect((await store.forgetAll("T1", "C3")).map((f) => f.key)).toEqual([LINKED_REPO_KEY, noteKey("we deploy on tuesdays")]);
    expect(await store.facts("T1", "C3")).toEqual([]);
  });

  it("keeps long facts apart and refuses a note past the limit", async () => {
    const long = "the release checklist lives in the wiki under operations and must be followed for every single release";
    expect(noteKey(long)).not.toBe(noteKey(`${long} without exception`));
    expect(noteKey(long).length).toBeLessThan(80);
    for (let i = 0; i < MAX_NOTES; i++) await store.note("T1", "C4", `fact number ${i}`, "U1");
    await expect(store.note("T1", "C4", "one too many", "U1")).rejects.toBeInstanceOf(TooManyNotesError);
    await store.note("T1", "C4", "fact number 3", "U2"); // refreshing one that's there is fine
  });

  it("derives what's asked in a room and when from its turns", async () => {
    const room = await db.prisma.room.findFirstOrThrow({ where: { slackChannelId: "C1" } });
    const turn = (hour: number, category: string | null, daysAgo = 1) => ({
      roomId: room.id, threadTs: "1.0", slackUserId: "U1", userText: "x",
      intent: category === null ? null : category === "bad" ? "{not json" : JSON.stringify({ category, action: "a" }),
      receivedAt: new Date(Date.UTC(2025, 2, 4 - daysAgo, hour, 15)),
    });
    await db.prisma.conversationTurn.createMany({
      data: [turn(9, "STATUS"), turn(9, "STATUS"), turn(10, "MEMORY"), turn(10, "STATUS"), turn(14, "TRUST"), turn(3, null), turn(3, "bad"), turn(9, "PRIORITY", 40)],
    });
    const profile = await roomProfile(db.prisma, room.id, AT);
    expect(profile).toMatchObject({ turns: 8, recentTurns: 7, windowDays: 30, activeHours: { from: 9, to: 11, count: 4 } });
    expect(profile.intents).toEqual([{ category: "STATUS", count: 3 }, { category: "MEMORY", count: 1 }, { category: "TRUST", count: 1 }]);
    expect(profile.topic).toBeUndefined();
    expect(hoursText(profile.activeHours!)).toBe("09:00–11:00 UTC");
    expect(busiestHours([new Date("2025-01-01T10:05:00Z")])).toEqual({ from: 10, to: 11, count: 1 });
    expect(busiestHours([new Date("2025-01-01T23:05:00Z"), new Date("2025-01-02T00:05:00Z")])).toEqual({ from: 23, to: 25, count: 2 });
    expect(hoursText({ from: 23, to: 25 })).toBe("23:00–01:00 UTC");
    expect(intentHistogram(["", "null", JSON.stringify({ category: "NOPE" })])).toEqual([]);
  });
});

/** Writes through one open database, closes it, opens it again and reads. */
async function survivesReopening(config: Config["database"]): Promise<void> {
  const first = await openDatabase(config, logger);
  try {
    const store = new RoomMemoryStore(first.prisma, () => AT);
    await store.linkRepo("T9", "C9", "acme/mobile", "U1");
    await store.note("T9", "C9", "we deploy on tuesdays", "U1");
    await store.note("T9", "C9", "standup is at 10", "U2");
    await store.forget("T9", "C9", "standup is at 10");
  } finally {
    await first.close();
  }
  const second = await openDatabase(config, logger);
  try {
    const store = new RoomMemoryStore(second.prisma);
    expect(await store.linkedRepo("T9", "C9")).toBe("acme/mobile");
    expect((await store.facts("T9", "C9")).map((f) => [f.key, f.text, f.by, f.at])).toEqual([
      [LINKED_REPO_KEY, "acme/mobile", "U1", AT.toISOString()],
      ["note:we-deploy-on-tuesdays", "we deploy on tuesdays", "U1", AT.toISOString()],
    ]);
  } finally {
    await second.close();
  }
}

describe("room memory survives a restart", () => {
  it("on a PGlite data folder", async () => {
    const dataDir = seededDataFolder("piper-room-memory-");
    try {
      await survivesReopening({ kind: "pglite", dataDir });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it.skipIf(!testServerUrl())("on PostgreSQL", async () => {
    const server = await createTestServerDatabase();
    try {
      await survivesReopening({ kind: "postgres", url: server!.url });
    } finally {
      await server?.dispose();
    }
  });
});
