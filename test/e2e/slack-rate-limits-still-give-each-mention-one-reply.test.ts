// Slack limiting chat.postMessage to about one per second per channel (with a short burst): every mention still gets exactly one reply.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { botReplies, startTestPiper, type TestPiper } from "../support/piper.js";

describe("Slack's per-channel rate limit on posts", () => {
  let piper: TestPiper;
  beforeAll(async () => {
    piper = await startTestPiper();
  });
  afterAll(async () => piper?.close());

  it("five mentions in one channel at once: five threads, one reply each", async () => {
    const slack = piper.slackLocal;
    slack.rateLimit("chat.postMessage", { perSecondPerChannel: 1, burst: 2 });
    const mentions = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => slack.postUserMessage({ channel: slack.channels.general, text: `<@${piper.botUserId}> help ${n}` })),
    );
    await slack.waitFor(() => mentions.every((m) => botReplies(slack, slack.channels.general, m.ts).length > 0), { timeoutMs: 25_000 });
    await slack.waitFor(() => piper.slack.queue.pending === 0);
    await slack.idle();
    for (const m of mentions) expect(botReplies(slack, slack.channels.general, m.ts)).toHaveLength(1);
  });
});
