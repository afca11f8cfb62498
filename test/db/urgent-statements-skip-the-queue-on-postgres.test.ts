// On PostgreSQL, a request's record (an urgent statement) has connections of its own: it never waits for the pool's busy ones.
import { describe, expect, it } from "vitest";
import { createTestDatabase, testServerUrl } from "../support/database.js";

describe.skipIf(testServerUrl() === undefined)("urgent statements on PostgreSQL", () => {
  it("run while every ordinary connection is busy", async () => {
    const db = await createTestDatabase();
    try {
      let slowDone = 0;
      // As many slow statements as the ordinary pool has connections (4): every one of them busy.
      const slow = Array.from({ length: 4 }, () => db.sql.executeSql(`SELECT pg_sleep(4)`, []).then(() => void slowDone++));
      await new Promise((r) => setTimeout(r, 200));
      const { rows } = await db.sql.executeSql(`SELECT 1 AS one`, [], { urgent: true });
      expect(rows).toEqual([{ one: 1 }]);
      expect(slowDone).toBe(0);
      await Promise.all(slow);
    } finally {
      await db.dispose();
    }
  }, 30_000);
});
