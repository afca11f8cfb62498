// Opens Piper's database — PGlite in a data folder by default, PostgreSQL when DATABASE_URL is set — migrated and ready.
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import pg from "pg";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import { PrismaClient } from "../generated/prisma/client.js";
import { describePostgres, postgresUnavailable } from "./errors.js";
import { lockDataFolder, type FolderLock } from "./folder-lock.js";
import { PGliteThread } from "./pglite-thread.js";
import { applyMigrations } from "./migrate.js";
import { pgliteExecutor, poolExecutor, type SqlExecutor } from "./sql.js";

export { isUniqueViolation } from "./errors.js";
export type { SqlExecutor } from "./sql.js";

export interface Database {
  readonly prisma: PrismaClient;
  readonly kind: "pglite" | "postgres";
  /** Where the data lives, safe to print (no password). */
  readonly description: string;
  /** Raw SQL on the same database (pg-boss runs through it; on PGlite it is the same single session). */
  readonly sql: SqlExecutor;
  /** SELECT 1 within a short timeout; false when unreachable. Never throws. */
  ping(): Promise<boolean>;
  /** Idempotent. */
  close(): Promise<void>;
}

/** What openDatabase returns: a Database, plus what this open did to the schema. */
export interface OpenedDatabase extends Database {
  /** Migrations applied while opening (empty when up to date or when migrate was false). */
  readonly appliedMigrations: readonly string[];
}

export interface OpenOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  migrationsDir?: string;
  /**
   * In-memory PGlite only: start from this data-folder dump (PGlite's dumpDataDir) instead of running
   * initdb — a fresh database in a few hundred milliseconds. Tests use a migrated template.
   */
  pgliteTemplate?: Blob;
}

/** `dataDir: ":memory:"` gives a throwaway in-memory PGlite (tests). */
export async function openDatabase(config: Config["database"], logger: Logger, options: OpenOptions = {}): Promise<OpenedDatabase> {
  return config.kind === "pglite" ? openPGlite(config.dataDir, logger, options) : openPostgres(config.url, logger, options);
}

async function openPGlite(dataDir: string, logger: Logger, options: OpenOptions): Promise<OpenedDatabase> {
  const inMemory = dataDir === ":memory:";
  let lock: FolderLock | undefined;
  if (!inMemory) {
    mkdirSync(dataDir, { recursive: true });
    // Two processes on one folder corrupt it (XX001 "could not read blocks"), so the second is refused up front.
    lock = await lockDataFolder(resolve(dataDir), dataDir);
  }
  // A data folder (npm start, production) gets PGlite on a thread of its own: its WebAssembly Postgres
  // would otherwise take a third of the CPU of the thread that acks and answers Slack. In-memory databases
  // (tests) stay on the caller's thread, where they start from a template in a few hundred milliseconds.
  let pglite: PGlite | PGliteThread | undefined;
  let appliedMigrations: string[] = [];
  let factory: PrismaPGlite;
  try {
    pglite = inMemory ? new PGlite(options.pgliteTemplate ? { loadDataDir: options.pgliteTemplate } : undefined) : new PGliteThread(resolve(dataDir));
    await pglite.waitReady;
    factory = new PrismaPGlite(pglite instanceof PGliteThread ? pglite.asPGlite() : pglite);
    if (options.migrate !== false) appliedMigrations = await applyMigrations(factory, logger, options.migrationsDir);
  } catch (err) {
    // An open PGlite keeps the process alive; the caller is about to report the error and exit.
    await pglite?.close().catch(() => undefined);
    lock?.release();
    throw err;
  }
  const db = pglite;
  const prisma = new PrismaClient({ adapter: factory });
  let closed = false;
  return {
    prisma,
    kind: "pglite",
    sql: pgliteExecutor(db),
    appliedMigrations,
    description: inMemory ? "PGlite in memory" : `PGlite at ${dataDir}`,
    ping: () => withTimeout(db.query("SELECT 1").then(() => true), 2_000),
    async close() {
      if (closed) return;
      closed = true;
      try {
        await prisma.$disconnect();
        await db.close();
      } finally {
        lock?.release();
      }
    },
  };
}

async function openPostgres(url: string, logger: Logger, options: OpenOptions): Promise<OpenedDatabase> {
  // Connect once up front so a wrong URL fails in seconds with a sentence, not deep inside a migration.
  const probe = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await probe.connect();
  } catch (err) {
    throw postgresUnavailable(url, err);
  } finally {
    await probe.end().catch(() => undefined);
  }
  const factory = new PrismaPg({ connectionString: url, connectionTimeoutMillis: 3_000 });
  let appliedMigrations: string[] = [];
  if (options.migrate !== false) {
    try {
      appliedMigrations = await applyMigrations(factory, logger, options.migrationsDir);
    } catch (err) {
      if (isConnectionError(err)) throw postgresUnavailable(url, err);
      throw err;
    }
  }
  const prisma = new PrismaClient({ adapter: factory });
  // A small pool of its own for raw SQL (pg-boss): Prisma's pool is not reachable from outside the adapter.
  const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 3_000, application_name: "piper-jobs" });
  // Urgent statements (a request's record, which Slack's ack waits for) get connections of their own, so
  // they never queue behind turns, room writes or pg-boss's polling for one of the four above.
  const urgentPool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 3_000, application_name: "piper-accept" });
  for (const p of [pool, urgentPool]) p.on("error", (err) => logger.warn({ err }, "idle PostgreSQL connection failed"));
  let closed = false;
  return {
    prisma,
    kind: "postgres",
    sql: poolExecutor(pool, urgentPool),
    appliedMigrations,
    description: `PostgreSQL at ${describePostgres(url)}`,
    ping: () => withTimeout(prisma.$queryRawUnsafe("SELECT 1").then(() => true), 2_000),
    async close() {
      if (closed) return;
      closed = true;
      await prisma.$disconnect();
      await Promise.all([pool.end(), urgentPool.end()]);
    },
  };
}

function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: string } | undefined)?.code;
  return code !== undefined && /^(ECONN|ENOTFOUND|EAI_|ETIMEDOUT|28|3D000)/.test(code);
}

function withTimeout(check: Promise<boolean>, ms: number): Promise<boolean> {
  return Promise.race([check.catch(() => false), new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref())]);
}
