import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reply, type Router } from "../../src/routing/router.js";
import { botReplies, startTestPiper, type TestPiper } from "../support/piper.js";

describe("a full work queue", () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const router: Router = {
    activity: () => "waiting",
    route: async (inbound) => {
      await gate;
      return reply(`done: ${inbound.text}`);
    },
  };
  let piper: TestPiper;
  beforeAll(async () => {
    piper = await startTestPiper({ router: () => router, progressAfterMs: 60_000 }, { PIPER_QUEUE_CONCURRENCY: "1", PIPER_QUEUE_MAX_PENDING: "2" });
  });
  afterAll(async () => piper?.close());

  it("answers the overflow with “I'm busy” and still answers the accepted work", async () => {
    const slack = piper.slackLocal;
    const c = slack.channels.general;
    const a = await slack.postUserMessage({ channel: c, text: `<@${piper.botUserId}> one` });
    const b = await slack.postUserMessage({ channel: c, text: `<@${piper.botUserId}> two` });
    await slack.waitFor(() => piper.slack.queue.pending === 2);
    const overflow = await slack.postUserMessage({ channel: c, text: `<@${piper.botUserId}> three` });
    const busy = await slack.waitFor(() => botReplies(slack, c, overflow.ts)[0]);
    expect(busy.text).toBe("I'm busy — try again in a minute.");
    release();
    await slack.waitFor(() => botReplies(slack, c, a.ts).length === 1 && botReplies(slack, c, b.ts).length === 1);
    expect(botReplies(slack, c, a.ts)[0]!.text).toBe("done: one");
    expect(botReplies(slack, c, overflow.ts)).toHaveLength(1);
  });
});
