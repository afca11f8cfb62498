// One migrated PGlite database (Piper's schema and pg-boss's) dumped once per test run; each test file starts from a copy.
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { inject } from "vitest";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { applyMigrations, DEFAULT_MIGRATIONS_DIR } from "../../src/db/migrate.js";
import { pgliteExecutor } from "../../src/db/sql.js";
import { startJobEngine } from "../../src/jobs/job-engine.js";
import { createLogger } from "../../src/logger.js";

/**
 * initdb is most of a PGlite start (seconds on a busy 2-core machine, per test file); loading a dump
 * skips it, and the migrations and pg-boss's schema with it. The file is named by a hash of what
 * shapes the schema, so a changed migration or pg-boss version makes a new one.
 */
export async function ensurePgliteTemplate(): Promise<string> {
  const hash = createHash("sha256");
  for (const dir of readdirSync(DEFAULT_MIGRATIONS_DIR).sort()) {
    const file = join(DEFAULT_MIGRATIONS_DIR, dir, "migration.sql");
    if (existsSync(file)) hash.update(dir).update(readFileSync(file));
  }
  hash.update(readFileSync(new URL("../../node_modules/pg-boss/package.json", import.meta.url)));
  hash.update(readFileSync(new URL("../../node_modules/@electric-sql/pglite/package.json", import.meta.url)));
  const path = join(tmpdir(), `piper-test-pglite-${hash.digest("hex").slice(0, 16)}.tar`);
  if (existsSync(path)) return path;
  const logger = createLogger({ level: "silent" });
  const pglite = new PGlite();
  await applyMigrations(new PrismaPGlite(pglite), logger);
  const boss = await startJobEngine({ sql: pgliteExecutor(pglite), logger, maintenanceIntervalSeconds: 60 });
  await boss.stop({ graceful: false, wait: true });
  const dump = await pglite.dumpDataDir("none");
  await pglite.close();
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, Buffer.from(await dump.arrayBuffer()));
  renameSync(temp, path);
  return path;
}

/**
 * A new data folder already holding the migrated template, for tests that start Piper (or PGlite) on
 * a folder: opening it takes about a second instead of an initdb. Tests of a truly fresh folder
 * (the first `npm start`) use an empty one instead.
 */
export function seededDataFolder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  execFileSync("tar", ["-xf", inject("pgliteTemplate"), "-C", dir]);
  return dir;
}
