// A deploy stops Piper mid-answer: it drains for a bounded time, then hands the rest over, and the next Piper answers it once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalSlack, type LocalSlack } from "../../src/local/index.js";
import { reply, type Router } from "../../src/routing/router.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { botReplies, HTTP_BOT_TOKEN, HTTP_SIGNING_SECRET, startHttpPiper } from "../support/piper.js";

describe("shutdown with work in flight", () => {
  let slack: LocalSlack;
  let db: TestDatabase;
  beforeAll(async () => {
    slack = await startLocalSlack({ port: 0, signingSecret: HTTP_SIGNING_SECRET, botToken: HTTP_BOT_TOKEN, retryDelaysMs: [] });
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await slack?.close();
    await db?.dispose();
  });

  it("the stopped Piper's placeholder is replaced by the next Piper's answer — one message, no apology", async () => {
    const cancelled: string[] = [];
    const stuck: Router = {
      activity: () => "thinking",
      route: (inbound, _p, signal) =>
        new Promise((_, reject) => signal.addEventListener("abort", () => (cancelled.push(inbound.text), reject(new Error("aborted"))))),
    };
    const first = await startHttpPiper(slack, db, { router: () => stuck, progressAfterMs: 20 }, { PIPER_SHUTDOWN_DRAIN_MS: "300" });
    slack.setDeliveryUrl(first.eventsUrl);
    const c = slack.channels.general;
    const asked = await slack.postUserMessage({ channel: c, text: `<@${slack.botUserId}> plan the release` });
    const placeholder = await slack.waitFor(() => botReplies(slack, c, asked.ts)[0], { timeoutMs: 20_000 });
    expect(placeholder.text).toContain("Working on it");
    await first.stop();
    expect(cancelled).toEqual(["plan the release"]);

    const answers: Router = { activity: () => "thinking", route: async (inbound) => reply(`planned: ${inbound.text}`) };
    const second = await startHttpPiper(slack, db, { router: () => answers }, { PIPER_JOB_MAINTENANCE_SECONDS: "1" });
    slack.setDeliveryUrl(second.eventsUrl);
    try {
      await slack.waitFor(() => botReplies(slack, c, asked.ts)[0]?.text === "planned: plan the release", { timeoutMs: 30_000 });
      const replies = botReplies(slack, c, asked.ts);
      expect(replies).toHaveLength(1);
      expect(replies[0]!.ts).toBe(placeholder.ts);
    } finally {
      await second.stop();
    }
  }, 120_000);
});
