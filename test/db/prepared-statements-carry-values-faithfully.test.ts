// A statement Piper prepares once and then only executes gets exactly the values a parameterized query would, on PGlite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { typedLiteral } from "../../src/db/sql-literals.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";

const TRICKY = ["it's", "$$", "$q0$", "a $q0$ b $q1$ c", "back\\slash \\' \\\\", "{braces},\"quotes\"", "NULL", "", "ünïcødé 🚀", "new\nline\ttab"];

describe("prepared statements", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.dispose());

  it("round-trip text, arrays, numbers, booleans, dates, JSON and NULL exactly as parameters do", async () => {
    const text = `SELECT $1::text AS t, $2::text[] AS arr, $3::float8 AS f, $4::int AS i, $5::bool AS b, $6::timestamptz AS at, $7::json AS j, $8::text AS n, $9::text[] AS empty`;
    const types = ["text", "text[]", "float8", "int", "bool", "timestamptz", "json", "text", "text[]"];
    for (const s of TRICKY) {
      const values = [s, [s, null, "x"], 1.5, -7, false, new Date("2026-11-29T07:00:00.123Z"), JSON.stringify({ s, n: [1, null] }), null, []];
      const plain = await db.sql.executeSql(text, values);
      const prepared = await db.sql.executeSql(text, values, { prepared: { name: "piper_test_round_trip", types } });
      expect(prepared.rows).toEqual(plain.rows);
      expect(prepared.rows[0]).toMatchObject({ t: s, arr: [s, null, "x"], i: -7, b: false, n: null, empty: [] });
    }
  });

  it("a statement prepared once is executed again with new values, and a failing one leaves the session usable", async () => {
    const types = ["text"];
    await db.sql.executeSql(`CREATE TABLE IF NOT EXISTS prepared_probe (k text PRIMARY KEY)`, []);
    const insert = (k: string) => db.sql.executeSql(`INSERT INTO prepared_probe (k) VALUES ($1) RETURNING k`, [k], { prepared: { name: "piper_test_insert", types } });
    expect((await insert("a")).rows).toEqual([{ k: "a" }]);
    expect((await insert("b")).rows).toEqual([{ k: "b" }]);
    await expect(insert("a")).rejects.toThrow(/duplicate key/);
    expect((await insert("c")).rows).toEqual([{ k: "c" }]);
  });

  it("refuses what SQL text cannot carry faithfully, and type names that aren't plain", () => {
    expect(() => typedLiteral("nul\u0000here", "text")).toThrow(/NUL/);
    expect(() => typedLiteral(Number.NaN, "float8")).toThrow();
    expect(() => typedLiteral([[1]], "int[]")).toThrow(/nested/);
    expect(() => typedLiteral("x", "text); DROP TABLE x; --")).toThrow(/plain SQL type/);
  });
});
