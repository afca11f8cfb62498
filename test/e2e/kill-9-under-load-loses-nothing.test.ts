// `kill -9` in the middle of a load, then a restart: every mention Slack delivered is answered exactly once.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalSlack, type LocalSlack } from "../../src/local/index.js";
import { createTestServerDatabase } from "../support/database.js";
import { botReplies, HTTP_BOT_TOKEN, HTTP_SIGNING_SECRET } from "../support/piper.js";
import { freePort, startPiperProcess } from "../support/piper-process.js";
import { seededDataFolder } from "../support/pglite-template.js";

const MENTIONS = 200;
const CHANNELS = 40;

describe("kill -9 under load", () => {
  let slack: LocalSlack;
  let database: { env: Record<string, string>; dispose(): Promise<void> };

  beforeAll(async () => {
    // Slack redelivers what was not acked (here a little faster than Slack's 1 min / 5 min).
    slack = await startLocalSlack({ port: 0, signingSecret: HTTP_SIGNING_SECRET, botToken: HTTP_BOT_TOKEN, retryDelaysMs: [2_000, 5_000, 10_000, 20_000] });
    // The same back end as the rest of the run: a data folder on disk for PGlite, a fresh database on PostgreSQL.
    const server = await createTestServerDatabase();
    if (server) database = { env: { DATABASE_URL: server.url }, dispose: server.dispose };
    else {
      const dir = seededDataFolder("piper-kill9-");
      database = { env: { PIPER_DATA_DIR: dir }, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
    }
  });
  afterAll(async () => {
    await slack?.close();
    await database?.dispose();
  });

  it("answers every delivered mention once (or apologises once), none twice", async () => {
    const port = await freePort();
    const env = {
      ...database.env,
      PIPER_PORT: String(port),
      // Short leases and maintenance so recovery happens within the test, not minutes later.
      PIPER_LEASE_MS: "3000",
      PIPER_JOB_MAINTENANCE_SECONDS: "1",
    };
    const channels = Array.from({ length: CHANNELS }, (_, i) => slack.createChannel(`load-${i}`));
    let piper = await startPiperProcess(slack, env);
    slack.setDeliveryUrl(`http://127.0.0.1:${port}/slack/events`);

    const sent: Array<{ channel: string; ts: string }> = [];
    const sending: Array<Promise<void>> = [];
    let killed = false;
    for (let i = 0; i < MENTIONS; i++) {
      const channel = channels[i % CHANNELS]!;
      sending.push(
        slack.postUserMessage({ channel, text: `<@${slack.botUserId}> help ${i}` }).then(({ ts }) => void sent.push({ channel, ts })),
      );
      // Kill it hard once a third of the load is in, while replies are being computed and paced.
      if (i === Math.floor(MENTIONS / 3)) {
        await new Promise((r) => setTimeout(r, 150));
        piper.child.kill("SIGKILL");
        await piper.exit;
        killed = true;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(killed).toBe(true);
    await Promise.all(sending);

    const restarted = await startPiperProcess(slack, env);
    try {
      const answered = () => sent.filter((m) => botReplies(slack, m.channel, m.ts).length > 0).length;
      await slack.waitFor(() => answered() === MENTIONS, { timeoutMs: 90_000 }).catch(() => undefined);
      const missing = sent.filter((m) => botReplies(slack, m.channel, m.ts).length === 0);
      const doubled = sent.filter((m) => botReplies(slack, m.channel, m.ts).length > 1);
      const working = sent.filter((m) => botReplies(slack, m.channel, m.ts).some((r) => r.text.includes("Working on it")));
      const log = `\n--- first run ---\n${piper.output().slice(-3_000)}\n--- restarted ---\n${restarted.output().slice(-3_000)}`;
      expect(missing.length, `unanswered after the restart${log}`).toBe(0);
      expect(doubled.length, `answered twice${log}`).toBe(0);
      expect(working.length, `left at "Working on it…"${log}`).toBe(0);
    } finally {
      restarted.child.kill("SIGINT");
      await restarted.exit;
      piper = restarted;
    }
  }, 300_000);
});
