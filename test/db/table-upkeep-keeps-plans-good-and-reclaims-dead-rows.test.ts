// PGlite has no autovacuum (nor has a server with it turned off): Piper's upkeep refreshes statistics (so the planner
// uses the right index) and reclaims dead rows, for the tables past autovacuum's thresholds.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { SqlExecutor } from "../../src/db/sql.js";
import { needsTableUpkeep, startTableUpkeep } from "../../src/db/table-upkeep.js";
import { createLogger } from "../../src/logger.js";
import { createTestDatabase, testServerUrl, type TestDatabase } from "../support/database.js";

const ROOM_LOAD = `EXPLAIN SELECT r."slackChannelId" FROM unnest($1::text[], $2::text[]) AS k(team, channel)
  JOIN "Territory" t ON t."slackTeamId" = k.team JOIN "Room" r ON r."territoryId" = t.id AND r."slackChannelId" = k.channel`;

describe.skipIf(testServerUrl() !== undefined)("table upkeep on PGlite", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql.executeSql(`INSERT INTO "Territory" (id, "slackTeamId", "updatedAt") VALUES ('t-upkeep', 'T-UPKEEP', now())`, []);
    await db.sql.executeSql(`INSERT INTO "Room" (id, "territoryId", "slackChannelId", "updatedAt") SELECT 'r' || g, 't-upkeep', 'C' || g, now() FROM generate_series(1, 6000) g`, []);
  });
  afterAll(async () => db?.dispose());

  const plan = async () => (await db.sql.executeSql(ROOM_LOAD, [Array(20).fill("T-UPKEEP"), Array.from({ length: 20 }, (_, i) => `C${i * 7 + 1}`)])).rows.map((r) => String(Object.values(r)[0])).join("\n");
  const roomStat = async (column: "n_dead_tup" | "n_mod_since_analyze") => {
    // Statistics reach pg_stat_* when a session flushes them; ask for it, then read in the next statement.
    await db.sql.executeSql(`SELECT pg_stat_force_next_flush()`, []);
    await db.sql.executeSql(`SELECT 1`, []);
    return Number((await db.sql.executeSql(`SELECT ${column} FROM pg_stat_user_tables WHERE relname = 'Room'`, [])).rows[0]?.[column]);
  };
  const deadRooms = () => roomStat("n_dead_tup");

  it("after ANALYZE, reading rooms by key uses the room key, not a scan of the territory's rooms", async () => {
    const upkeep = startTableUpkeep({ sql: db.sql, logger: createLogger({ level: "silent" }) });
    try {
      expect(await plan()).not.toContain("Room_territoryId_slackChannelId_key");
      await upkeep.runNow();
      expect(await plan()).toContain("Room_territoryId_slackChannelId_key");
    } finally {
      upkeep.stop();
    }
  });

  it("analyzes a table again once a tenth of it changed, and leaves it alone before", async () => {
    const upkeep = startTableUpkeep({ sql: db.sql, logger: createLogger({ level: "silent" }) });
    try {
      await upkeep.runNow();
      expect(await roomStat("n_mod_since_analyze")).toBe(0);
      await db.sql.executeSql(`INSERT INTO "Room" (id, "territoryId", "slackChannelId", "updatedAt") SELECT 's' || g, 't-upkeep', 'S' || g, now() FROM generate_series(1, 100) g`, []);
      await upkeep.runNow();
      // 100 of 6,000 rows: under 50 + 10 %, so the statistics stand.
      expect(await roomStat("n_mod_since_analyze")).toBe(100);
      await db.sql.executeSql(`INSERT INTO "Room" (id, "territoryId", "slackChannelId", "updatedAt") SELECT 'u' || g, 't-upkeep', 'U' || g, now() FROM generate_series(1, 1000) g`, []);
      await upkeep.runNow();
      expect(await roomStat("n_mod_since_analyze")).toBe(0);
    } finally {
      upkeep.stop();
    }
  });

  it("VACUUM reclaims the dead rows updates leave behind", async () => {
    const upkeep = startTableUpkeep({ sql: db.sql, logger: createLogger({ level: "silent" }) });
    try {
      await db.sql.executeSql(`UPDATE "Room" SET "attentionScore" = 1 WHERE "territoryId" = 't-upkeep'`, []);
      expect(await deadRooms()).toBeGreaterThan(1000);
      await upkeep.runNow();
      expect(await deadRooms()).toBe(0);
    } finally {
      upkeep.stop();
    }
  });
});

describe("table upkeep's timing", () => {
  afterEach(() => vi.useRealTimers());

  /** A database whose Room table is always due for ANALYZE; `analyzed()` counts the ANALYZE statements it was sent. */
  function alwaysDue() {
    const ran: string[] = [];
    const sql: SqlExecutor = {
      async executeSql(text) {
        ran.push(text);
        return { rows: text.includes("pg_stat_user_tables") ? [{ name: 'public."Room"', vacuum: false }] : [] };
      },
    };
    return { sql, analyzed: () => ran.filter((t) => /\bANALYZE\b/.test(t)).length };
  }

  it("waits for a quiet moment before holding the database", async () => {
    vi.useFakeTimers();
    const db = alwaysDue();
    let quiet = false;
    const upkeep = startTableUpkeep({ sql: db.sql, logger: createLogger({ level: "silent" }), quiet: () => quiet });
    try {
      await vi.advanceTimersByTimeAsync(30_000);
      expect(db.analyzed()).toBe(0);
      quiet = true;
      await vi.advanceTimersByTimeAsync(1_000);
      expect(db.analyzed()).toBe(1);
    } finally {
      upkeep.stop();
    }
  });

  it("runs anyway once it has waited maxDeferMs under sustained load", async () => {
    vi.useFakeTimers();
    const db = alwaysDue();
    const upkeep = startTableUpkeep({ sql: db.sql, logger: createLogger({ level: "silent" }), quiet: () => false, maxDeferMs: 60_000 });
    try {
      // The first check (10 s) finds it busy; it waits from then on.
      await vi.advanceTimersByTimeAsync(10_000 + 59_000);
      expect(db.analyzed()).toBe(0);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(db.analyzed()).toBe(1);
    } finally {
      upkeep.stop();
    }
  });
});

describe("where Piper looks after its tables", () => {
  const server = (autovacuum: string): SqlExecutor => ({ executeSql: async () => ({ rows: [{ autovacuum }] }) });

  it("always on PGlite; on PostgreSQL only when the server's autovacuum is off", async () => {
    expect(await needsTableUpkeep("pglite", server("on"))).toBe(true);
    expect(await needsTableUpkeep("postgres", server("on"))).toBe(false);
    expect(await needsTableUpkeep("postgres", server("off"))).toBe(true);
  });

  it("reads the real setting from the test database", async () => {
    const db = await createTestDatabase();
    try {
      const expected = db.kind === "pglite" ? true : (await db.sql.executeSql("SHOW autovacuum")).rows[0]?.autovacuum === "off";
      expect(await needsTableUpkeep(db.kind, db.sql)).toBe(expected);
    } finally {
      await db.dispose();
    }
  });
});
