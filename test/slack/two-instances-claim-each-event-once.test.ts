// Event claims: one winner per Slack event id, also between two Piper instances sharing one PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/db/index.js";
import { createLogger } from "../../src/logger.js";
import { DatabaseEventClaims } from "../../src/slack/event-dedupe.js";
import { createTestDatabase, testServerUrl, type TestDatabase } from "../support/database.js";

const logger = createLogger({ level: "silent" });

// Two instances on one database is a PostgreSQL deployment: a PGlite folder has one writer (a second
// process is refused), and two claimers on one PGlite handle would share its connection and prove nothing.
describe.skipIf(!testServerUrl())("two Piper instances on one PostgreSQL", () => {
  let db: TestDatabase;
  let second: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
    // Its own connection pool, as a second Piper process would have.
    second = await openDatabase({ kind: "postgres", url: db.url! }, logger, { migrate: false });
  });
  afterAll(async () => {
    await second?.close();
    await db?.dispose();
  });

  it("racing for the same event: exactly one wins, every time", async () => {
    const a = new DatabaseEventClaims(db.prisma, logger);
    const b = new DatabaseEventClaims(second.prisma, logger);
    for (let i = 0; i < 20; i++) {
      const results = await Promise.all([a.claim("T1", `EvRACE${i}`), b.claim("T1", `EvRACE${i}`), a.claim("T1", `EvRACE${i}`), b.claim("T1", `EvRACE${i}`)]);
      expect(results.filter(Boolean)).toHaveLength(1);
    }
  });
});

describe("event claims", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.dispose();
  });

  it("the same event id in another workspace is a different event", async () => {
    const claims = new DatabaseEventClaims(db.prisma, logger);
    expect(await claims.claim("T1", "EvSAME")).toBe(true);
    expect(await claims.claim("T2", "EvSAME")).toBe(true);
    expect(await claims.claim("T2", "EvSAME")).toBe(false);
  });

  it("prunes claims older than a cutoff and keeps newer ones", async () => {
    const claims = new DatabaseEventClaims(db.prisma, logger);
    await db.prisma.processedEvent.create({ data: { teamId: "T9", eventId: "EvOLD", receivedAt: new Date(Date.now() - 3 * 86_400_000) } });
    await claims.claim("T9", "EvNEW");
    expect(await claims.prune(new Date(Date.now() - 86_400_000))).toBe(1);
    const left = await db.prisma.processedEvent.findMany({ where: { teamId: "T9" } });
    expect(left.map((r) => r.eventId)).toEqual(["EvNEW"]);
  });
});
