// The Slack dedupe relies on the second insert of a (team, event) pair failing recognisably.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isUniqueViolation } from "../../src/db/index.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";

describe("a processed Slack event", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.dispose());

  it("can be recorded only once per team", async () => {
    await db.prisma.processedEvent.create({ data: { teamId: "T1", eventId: "Ev1" } });
    const second = await db.prisma.processedEvent.create({ data: { teamId: "T1", eventId: "Ev1" } }).catch((e: unknown) => e);
    expect(isUniqueViolation(second)).toBe(true);
    // The same event id in another workspace is a different event.
    await db.prisma.processedEvent.create({ data: { teamId: "T2", eventId: "Ev1" } });
  });

  it("is recognised as a duplicate through raw SQL too", async () => {
    const raw = await db.prisma.$executeRawUnsafe(`INSERT INTO "ProcessedEvent" ("teamId", "eventId") VALUES ('T1', 'Ev1')`).catch((e: unknown) => e);
    expect(isUniqueViolation(raw)).toBe(true);
  });

  it("is not confused with other failures", async () => {
    const missing = await db.prisma.processedEvent.update({ where: { teamId_eventId: { teamId: "T9", eventId: "nope" } }, data: {} }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Error);
    expect(isUniqueViolation(missing)).toBe(false);
    expect(isUniqueViolation(new Error("boom"))).toBe(false);
    expect(isUniqueViolation(undefined)).toBe(false);
  });
});
