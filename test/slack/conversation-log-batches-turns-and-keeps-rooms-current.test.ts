// Turns are written many per statement, creating their territory and rooms on first sight; every turn moves its room's lastActivityAt.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { DatabaseConversationLog } from "../../src/slack/conversation-log.js";
import type { Inbound } from "../../src/slack/inbound.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";

const turn = (id: string, channel: string, source: Inbound["source"] = "mention"): Inbound => ({
  id, source, territory: "T0TURNS01", room: { id: channel, kind: channel.startsWith("D") ? "dm" : "channel" }, threadTs: `1.${id}`, ts: `1.${id}`, user: "U1", text: `hi ${id}`, history: [],
});

describe("the conversation log", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.dispose());

  it("writes a burst of turns with their territory and rooms, each turn once, joined to the right room", async () => {
    const log = new DatabaseConversationLog(db.sql, createLogger({ level: "silent" }), { batchMs: 50 });
    await Promise.all([log.record(turn("1", "C1"), "one"), log.record(turn("2", "C1"), "two"), log.record(turn("3", "D1"), "three"), log.record(turn("4", "C2", "slash"), "four")]);
    const turns = await db.prisma.conversationTurn.findMany({ include: { room: { include: { territory: true } } }, orderBy: { userText: "asc" } });
    expect(turns.map((t) => [t.userText, t.replyText, t.room.slackChannelId, t.room.kind, t.room.territory.slackTeamId, t.eventId])).toEqual([
      ["hi 1", "one", "C1", "channel", "T0TURNS01", "1"],
      ["hi 2", "two", "C1", "channel", "T0TURNS01", "2"],
      ["hi 3", "three", "D1", "dm", "T0TURNS01", "3"],
      ["hi 4", "four", "C2", "channel", "T0TURNS01", null],
    ]);
    expect(await db.prisma.territory.count({ where: { slackTeamId: "T0TURNS01" } })).toBe(1);
    expect(await db.prisma.room.count({ where: { territory: { slackTeamId: "T0TURNS01" } } })).toBe(3);
  });

  it("moves a known room's lastActivityAt with every later turn (it used to be written once)", async () => {
    const log = new DatabaseConversationLog(db.sql, createLogger({ level: "silent" }));
    await log.record(turn("5", "C9"), "first");
    const first = (await db.prisma.room.findFirstOrThrow({ where: { slackChannelId: "C9" } })).lastActivityAt!;
    await new Promise((r) => setTimeout(r, 20));
    await log.record(turn("6", "C9"), "second");
    const second = (await db.prisma.room.findFirstOrThrow({ where: { slackChannelId: "C9" } })).lastActivityAt!;
    const latestTurn = await db.prisma.conversationTurn.findFirstOrThrow({ where: { eventId: "6" } });
    expect(second.getTime()).toBeGreaterThan(first.getTime());
    expect(second.getTime()).toBe(latestTurn.repliedAt!.getTime());
  });

  it("writes a large batch in parts of 25 turns, so no one statement holds PGlite's one session long", async () => {
    let statements = 0;
    const sql = { executeSql: (text: string, values?: unknown[]) => (text.includes('INSERT INTO "ConversationTurn"') && statements++, db.sql.executeSql(text, values)) };
    const log = new DatabaseConversationLog(sql, createLogger({ level: "silent" }), { batchMs: 60_000 });
    const written = Array.from({ length: 60 }, (_, i) => log.record(turn(`P${i}`, `C${i % 7}`), `reply ${i}`));
    await log.flush();
    await Promise.all(written);
    expect(statements).toBe(3);
    expect(await db.prisma.conversationTurn.count({ where: { eventId: { startsWith: "P" } } })).toBe(60);
  });
});
