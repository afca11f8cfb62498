// A throwaway, migrated database per test file: in-memory PGlite, or a fresh PostgreSQL database
// when PIPER_TEST_DATABASE_URL is set (created here, dropped on dispose).
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { inject } from "vitest";
import pg from "pg";
import { openDatabase, type Database } from "../../src/db/index.js";
import { createLogger } from "../../src/logger.js";

export interface TestDatabase extends Database {
  /** The URL of the PostgreSQL database created for this test (undefined on PGlite). */
  url?: string;
  dispose(): Promise<void>;
}

const logger = createLogger({ level: "silent" });

export function testServerUrl(): string | undefined {
  const url = process.env.PIPER_TEST_DATABASE_URL?.trim();
  return url ? url : undefined;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const server = testServerUrl();
  if (!server) {
    const pgliteTemplate = template();
    // The template is built from these same migrations (its name is their hash), so none are pending.
    const db = await openDatabase({ kind: "pglite", dataDir: ":memory:" }, logger, { pgliteTemplate, migrate: pgliteTemplate === undefined });
    return Object.assign(db, { dispose: () => db.close() });
  }
  const name = `piper_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  await adminQuery(server, `CREATE DATABASE "${name}"`);
  const url = withDatabase(server, name);
  try {
    const db = await openDatabase({ kind: "postgres", url }, logger);
    return Object.assign(db, {
      url,
      async dispose() {
        await db.close();
        await dropDatabase(server, name);
      },
    });
  } catch (err) {
    await dropDatabase(server, name);
    throw err;
  }
}

/** The migrated template from the global setup; outside vitest (the bench) there is none. */
function template(): Blob | undefined {
  let path: string | undefined;
  try {
    path = inject("pgliteTemplate");
  } catch {
    return undefined;
  }
  return path ? new Blob([readFileSync(path)]) : undefined;
}

/**
 * On a PostgreSQL run: a fresh, empty database for a Piper process to migrate and use (dropped on
 * dispose). On PGlite runs there is none: such tests give the process a data folder instead.
 */
export async function createTestServerDatabase(): Promise<{ url: string; dispose(): Promise<void> } | undefined> {
  const server = testServerUrl();
  if (!server) return undefined;
  const name = `piper_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  await adminQuery(server, `CREATE DATABASE "${name}"`);
  return { url: withDatabase(server, name), dispose: () => dropDatabase(server, name) };
}

export function withDatabase(serverUrl: string, database: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await adminQuery(serverUrl, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`);
  await adminQuery(serverUrl, `DROP DATABASE IF EXISTS "${name}"`);
}

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
