import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { startLocalSlack, type LocalSlack } from "../../src/local/index.js";
import { startPiper, type RunningPiper } from "../../src/piper.js";
import { createTestDatabase } from "../support/database.js";

const BOT_TOKEN = "xoxb-test-receivers";
const SIGNING_SECRET = "test-signing-secret";
const APP_TOKEN = "xapp-test-receivers";

describe("receivers chosen from config, one code path behind them", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function start(env: Record<string, string>, slack: LocalSlack): Promise<RunningPiper> {
    const database = await createTestDatabase();
    cleanups.push(() => database.dispose());
    const config = loadConfig({ PIPER_PORT: "0", PIPER_HOST: "127.0.0.1", LOG_LEVEL: "silent", SLACK_API_URL: slack.apiUrl, ...env });
    const piper = await startPiper(config, createLogger({ level: "silent" }), { database, pacing: { intervalMs: 5, burst: 10 } });
    cleanups.push(() => piper.stop());
    return piper;
  }

  it("Socket Mode: events arrive over the socket, are acked, and answered in the thread", async () => {
    const slack = await startLocalSlack({ port: 0, signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN, appToken: APP_TOKEN });
    cleanups.push(() => slack.close());
    const piper = await start({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN }, slack);
    expect(piper.config.slack.mode).toBe("socket");
    expect(piper.slack.httpListener).toBeUndefined();
    const { ts } = await slack.postUserMessage({ channel: slack.channels.general, text: `<@${slack.botUserId}> help` });
    const reply = await slack.waitFor(() => slack.replies(slack.channels.general, ts).find((m) => m.bot_id !== undefined));
    expect(reply.thread_ts).toBe(ts);
    expect(slack.calls.some((c) => c.method === "apps.connections.open")).toBe(true);

    // Slash commands arrive as slash_commands envelopes; the answer travels in the ack's payload.
    const help = await slack.slashCommand({ channel: slack.channels.general, text: "help" });
    expect(help.status).toBe(200);
    expect(JSON.stringify(help.body)).toContain("/piper projects");
    const health = await slack.slashCommand({ channel: slack.channels.general, text: "health" });
    expect(JSON.stringify(await health.responses)).toContain("Piper health");
  });

  it("HTTP: real tokens, real signing, Slack requests on /slack/events", async () => {
    const slack = await startLocalSlack({ port: 0, signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN });
    cleanups.push(() => slack.close());
    const piper = await start({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET }, slack);
    expect(piper.config.slack.mode).toBe("http");
    slack.setDeliveryUrl(`http://127.0.0.1:${piper.http.port}/slack/events`);
    const { ts } = await slack.postUserMessage({ channel: slack.channels.general, text: `<@${slack.botUserId}> help` });
    const reply = await slack.waitFor(() => slack.replies(slack.channels.general, ts).find((m) => m.bot_id !== undefined));
    expect(reply.text).toContain("/piper help");
  });
});
