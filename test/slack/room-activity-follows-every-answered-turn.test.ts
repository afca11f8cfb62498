// Room.lastActivityAt moves with every turn (it used to be written once, behind the room-id cache), in batched writes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { DatabaseConversationLog } from "../../src/slack/conversation-log.js";
import type { Inbound } from "../../src/slack/inbound.js";
import { RoomActivity } from "../../src/slack/room-activity.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";

const turn = (id: string): Inbound => ({ id, source: "mention", territory: "T1", room: { id: "C1", kind: "channel" }, threadTs: "1.1", ts: "1.1", user: "U1", text: "hi", history: [] });

describe("room activity", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.dispose());

  it("records the latest turn's time for a room seen before, not only the first", async () => {
    const activity = new RoomActivity(db.sql, createLogger({ level: "silent" }), 60_000);
    const log = new DatabaseConversationLog(db.prisma, activity);
    await log.record(turn("Ev1"), "one");
    await activity.flush();
    const first = (await db.prisma.room.findFirstOrThrow({ where: { slackChannelId: "C1" } })).lastActivityAt!;
    await new Promise((r) => setTimeout(r, 20));
    await log.record(turn("Ev2"), "two");
    await activity.close();
    const second = (await db.prisma.room.findFirstOrThrow({ where: { slackChannelId: "C1" } })).lastActivityAt!;
    expect(second.getTime()).toBeGreaterThan(first.getTime());
    const turnTime = (await db.prisma.conversationTurn.findFirstOrThrow({ where: { eventId: "Ev2" } })).repliedAt!;
    expect(second.getTime()).toBe(turnTime.getTime());
  });
});
