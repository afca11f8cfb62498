// `npm run db:migrate`: applies pending migrations to the configured database (PGlite or DATABASE_URL).
import { existsSync } from "node:fs";
import { ConfigError, loadConfig } from "../config.js";
import { isPiperError } from "../errors.js";
import { createLogger } from "../logger.js";
import { openDatabase } from "./index.js";

if (existsSync(".env")) process.loadEnvFile(".env");
try {
  const config = loadConfig();
  // Warn level: this command prints its own result line instead of the startup log line.
  const db = await openDatabase(config.database, createLogger({ level: "warn" }));
  const applied = db.appliedMigrations;
  process.stdout.write(
    applied.length > 0
      ? `Applied ${applied.length} migration${applied.length === 1 ? "" : "s"} to ${db.description}: ${applied.join(", ")}\n`
      : `${db.description} is up to date; no migrations to apply.\n`,
  );
  await db.close();
  // Exit explicitly: a stray handle (PGlite, a pg pool) must not keep the command running.
  process.exit(0);
} catch (err) {
  if (err instanceof ConfigError) process.stderr.write(`Config error: ${err.message}\n`);
  else if (isPiperError(err)) process.stderr.write(`Cannot migrate: ${err.message}\n`);
  else process.stderr.write(`Migration failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
}
