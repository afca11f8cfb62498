// `npm run db:migrate`: applies pending migrations to the configured database (PGlite or DATABASE_URL).
import { existsSync } from "node:fs";
import { ConfigError, loadConfig } from "../config.js";
import { isPiperError } from "../errors.js";
import { createLogger } from "../logger.js";
import { openDatabase } from "./index.js";

if (existsSync(".env")) process.loadEnvFile(".env");
try {
  const config = loadConfig();
  const db = await openDatabase(config.database, createLogger({ level: "warn" }));
  process.stdout.write(`Migrations applied; ${db.description} is up to date.\n`);
  await db.close();
  process.exit(0);
} catch (err) {
  const known = err instanceof ConfigError || isPiperError(err);
  process.stderr.write(`${known ? `Cannot migrate: ${(err as Error).message}` : `Migration failed: ${(err as Error).stack}`}\n`);
  process.exit(1);
}
