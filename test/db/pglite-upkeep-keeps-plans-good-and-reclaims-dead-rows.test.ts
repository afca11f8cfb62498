// PGlite has no autovacuum: Piper's upkeep refreshes statistics (so the planner uses the right index) and reclaims dead rows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPGliteUpkeep } from "../../src/db/pglite-upkeep.js";
import { createLogger } from "../../src/logger.js";
import { createTestDatabase, testServerUrl, type TestDatabase } from "../support/database.js";

const ROOM_LOAD = `EXPLAIN SELECT r."slackChannelId" FROM unnest($1::text[], $2::text[]) AS k(team, channel)
  JOIN "Territory" t ON t."slackTeamId" = k.team JOIN "Room" r ON r."territoryId" = t.id AND r."slackChannelId" = k.channel`;

describe.skipIf(testServerUrl() !== undefined)("PGlite upkeep", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql.executeSql(`INSERT INTO "Territory" (id, "slackTeamId", "updatedAt") VALUES ('t-upkeep', 'T-UPKEEP', now())`, []);
    await db.sql.executeSql(`INSERT INTO "Room" (id, "territoryId", "slackChannelId", "updatedAt") SELECT 'r' || g, 't-upkeep', 'C' || g, now() FROM generate_series(1, 6000) g`, []);
  });
  afterAll(async () => db?.dispose());

  const plan = async () => (await db.sql.executeSql(ROOM_LOAD, [Array(20).fill("T-UPKEEP"), Array.from({ length: 20 }, (_, i) => `C${i * 7 + 1}`)])).rows.map((r) => String(Object.values(r)[0])).join("\n");
  const deadRooms = async () => {
    // Statistics reach pg_stat_* when a session flushes them; ask for it, then read in the next statement.
    await db.sql.executeSql(`SELECT pg_stat_force_next_flush()`, []);
    await db.sql.executeSql(`SELECT 1`, []);
    return Number((await db.sql.executeSql(`SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'Room'`, [])).rows[0]?.n_dead_tup);
  };

  it("after ANALYZE, reading rooms by key uses the room key, not a scan of the territory's rooms", async () => {
    const upkeep = startPGliteUpkeep({ sql: db.sql, logger: createLogger({ level: "silent" }) });
    try {
      expect(await plan()).not.toContain("Room_territoryId_slackChannelId_key");
      await upkeep.runNow();
      expect(await plan()).toContain("Room_territoryId_slackChannelId_key");
    } finally {
      upkeep.stop();
    }
  });

  it("VACUUM reclaims the dead rows updates leave behind", async () => {
    const upkeep = startPGliteUpkeep({ sql: db.sql, logger: createLogger({ level: "silent" }) });
    try {
      await db.sql.executeSql(`UPDATE "Room" SET "attentionScore" = 1 WHERE "territoryId" = 't-upkeep'`, []);
      expect(await deadRooms()).toBeGreaterThan(1000);
      await upkeep.runNow({ vacuum: true });
      expect(await deadRooms()).toBe(0);
    } finally {
      upkeep.stop();
    }
  });
});
