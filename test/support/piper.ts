// Starts a real Piper (local mode: real Bolt, real signing, the local Slack emulator) on a throwaway database.
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { startPiper, type PiperOverrides, type RunningPiper } from "../../src/piper.js";
import type { LocalSlack } from "../../src/local/index.js";
import type { Database } from "../../src/db/index.js";
import type { SqlExecutor } from "../../src/db/sql.js";
import { expect } from "vitest";
import type { Intent } from "../../src/routing/intent.js";
import { WORKING } from "../../src/slack/responder.js";
import { createTestDatabase } from "./database.js";

export interface TestPiper extends RunningPiper {
  slackLocal: LocalSlack;
  botUserId: string;
  close(): Promise<void>;
}

/** `sql`: wraps the raw SQL executor Piper gets (a test that holds or watches particular statements). */
export async function startTestPiper(overrides: PiperOverrides = {}, env: Record<string, string> = {}, options: { sql?: (inner: SqlExecutor) => SqlExecutor } = {}): Promise<TestPiper> {
  const config = loadConfig({ PIPER_PORT: "0", PIPER_HOST: "127.0.0.1", PIPER_LOCAL_SLACK_PORT: "0", LOG_LEVEL: "silent", ...env });
  const logger = createLogger({ level: process.env.PIPER_TEST_LOG_LEVEL ?? "silent" });
  const database = await createTestDatabase();
  try {
    const piper = await startPiper(config, logger, {
      database: options.sql ? { ...database, sql: options.sql(database.sql) } : database,
      // Tests post far more than Slack's 1/s per channel would allow in a few seconds.
      pacing: { intervalMs: 5, burst: 10 },
      localSlack: { retryDelaysMs: [50, 100, 200], ackTimeoutMs: 3_000 },
      ...overrides,
    });
    return {
      ...piper,
      slackLocal: piper.localSlack!,
      botUserId: piper.botUserId!,
      async close() {
        await piper.stop();
        await database.dispose();
      },
    };
  } catch (err) {
    await database.dispose();
    throw err;
  }
}

/** Messages Piper (the bot) posted in a thread. */
export function botReplies(slack: LocalSlack, channel: string, threadTs: string) {
  return slack.replies(channel, threadTs).filter((m) => m.bot_id !== undefined && m.ts !== threadTs);
}

export const HTTP_BOT_TOKEN = "xoxb-test-http";
export const HTTP_SIGNING_SECRET = "test-http-signing-secret";

/**
 * A Piper in HTTP mode against an emulator the test owns, on a database the test owns: several
 * Pipers can share both (instances of one deployment, or one Piper before and after a restart).
 * The emulator must be started with HTTP_BOT_TOKEN and HTTP_SIGNING_SECRET.
 */
export async function startHttpPiper(slack: LocalSlack, database: Database, overrides: PiperOverrides = {}, env: Record<string, string> = {}): Promise<RunningPiper & { eventsUrl: string }> {
  const config = loadConfig({
    PIPER_PORT: "0",
    PIPER_HOST: "127.0.0.1",
    LOG_LEVEL: "silent",
    SLACK_BOT_TOKEN: HTTP_BOT_TOKEN,
    SLACK_SIGNING_SECRET: HTTP_SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    ...env,
  });
  const logger = createLogger({ level: process.env.PIPER_TEST_LOG_LEVEL ?? "silent" });
  const piper = await startPiper(config, logger, { database, pacing: { intervalMs: 5, burst: 10 }, ...overrides });
  return { ...piper, eventsUrl: `http://127.0.0.1:${piper.http.port}/slack/events` };
}

/** Piper's answers in a thread: its messages without a progress placeholder still waiting to be replaced (a busy machine shows one first). */
export function botAnswers(slack: LocalSlack, channel: string, threadTs: string) {
  return botReplies(slack, channel, threadTs).filter((m) => m.text !== WORKING);
}

/**
 * Mentions Piper in a new thread and returns its one reply there (checked: exactly one, once the queue
 * is idle) and the intent stored on the turn (written just after the reply, so it is waited for).
 */
export async function askInThread(piper: TestPiper, channel: string, text: string): Promise<{ reply: ReturnType<typeof botReplies>[number]; intent: Intent }> {
  const slack = piper.slackLocal;
  const { ts } = await slack.postUserMessage({ channel, text: `<@${piper.botUserId}> ${text}` });
  const replies = await slack.waitFor(() => {
    const r = botAnswers(slack, channel, ts);
    return r.length > 0 && r;
  });
  await slack.waitFor(() => piper.slack.queue.pending === 0);
  expect(botReplies(slack, channel, ts)).toHaveLength(1);
  await expect.poll(async () => (await piper.db.prisma.conversationTurn.findFirst({ where: { threadTs: ts } }))?.intent, { timeout: 30_000 }).toBeTruthy();
  const turn = await piper.db.prisma.conversationTurn.findFirstOrThrow({ where: { threadTs: ts } });
  return { reply: replies[0]!, intent: JSON.parse(turn.intent!) as Intent };
}
