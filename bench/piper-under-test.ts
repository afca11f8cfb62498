// In-process Piper for the GitHub-down measurement (bench/breaker.ts): real composition, HTTP receiver against a given emulator, in-memory PGlite.
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { startPiper, type RunningPiper } from "../src/piper.js";
import { openDatabase } from "../src/db/index.js";
import type { LocalSlack } from "../src/local/index.js";
import { BOT_TOKEN, SIGNING_SECRET } from "./targets.js";

export { BOT_TOKEN, SIGNING_SECRET };

export async function startBenchPiper(slack: LocalSlack, env: Record<string, string> = {}): Promise<{ piper: RunningPiper; eventsUrl: string; stop(): Promise<void> }> {
  const logger = createLogger({ level: "silent" });
  const config = loadConfig({
    PIPER_PORT: "0",
    PIPER_HOST: "127.0.0.1",
    LOG_LEVEL: "silent",
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    ...env,
  });
  const database = await openDatabase({ kind: "pglite", dataDir: ":memory:" }, logger);
  const piper = await startPiper(config, logger, { database });
  return {
    piper,
    eventsUrl: `http://127.0.0.1:${piper.http.port}/slack/events`,
    async stop() {
      await piper.stop();
      await database.close();
    },
  };
}
