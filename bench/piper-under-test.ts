// Starts Piper for the bench: real composition, HTTP receiver against a given emulator, in-memory PGlite.
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { startPiper, type RunningPiper } from "../src/piper.js";
import { openDatabase } from "../src/db/index.js";
import type { LocalSlack } from "../src/local/index.js";
import { dropDatabase, withDatabase } from "../test/support/database.js";
import pg from "pg";

export const BOT_TOKEN = "xoxb-bench";
export const SIGNING_SECRET = "bench-signing-secret";

/** A PostgreSQL server the bench may create a throwaway database on, if one answers. */
export async function benchPostgresServer(): Promise<string | undefined> {
  const url = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  try {
    await client.connect();
    return url;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function startBenchPiper(
  slack: LocalSlack,
  env: Record<string, string> = {},
  postgresServer?: string,
): Promise<{ piper: RunningPiper; eventsUrl: string; stop(): Promise<void> }> {
  const logger = createLogger({ level: "silent" });
  const config = loadConfig({
    PIPER_PORT: "0",
    PIPER_HOST: "127.0.0.1",
    LOG_LEVEL: "silent",
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PIPER_QUEUE_MAX_PENDING: "100000",
    ...env,
  });
  const dbName = `piper_bench_${process.pid}_${Date.now()}`;
  if (postgresServer) {
    const admin = new pg.Client({ connectionString: postgresServer });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${dbName}"`);
    await admin.end();
  }
  const database = postgresServer
    ? await openDatabase({ kind: "postgres", url: withDatabase(postgresServer, dbName) }, logger)
    : await openDatabase({ kind: "pglite", dataDir: ":memory:" }, logger);
  // Per-channel pacing is Slack's rule, not Piper's cost; the bench measures Piper, so it is off here.
  const piper = await startPiper(config, logger, { database, pacing: { intervalMs: 0, burst: 1 } });
  return {
    piper,
    eventsUrl: `http://127.0.0.1:${piper.http.port}/slack/events`,
    async stop() {
      await piper.stop();
      await database.close();
      if (postgresServer) await dropDatabase(postgresServer, dbName);
    },
  };
}
