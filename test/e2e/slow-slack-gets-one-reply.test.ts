// A Slack that answers after Piper's timeout (having done the write) or fails with a 5xx after it still gets exactly one reply.
// The placeholder case needs responder.ts to deliver through poster.updateOrPost; all need app.ts on createPostingClient() (no SDK retries).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reply, type Router } from "../../src/routing/router.js";
import { botReplies, startTestPiper, type TestPiper } from "../support/piper.js";

/** Answers at once, or after 400 ms for "slow …" (long enough for the placeholder at 50 ms). */
const router: Router = {
  activity: () => "answering",
  async route(inbound) {
    if (inbound.text.startsWith("slow")) await new Promise((r) => setTimeout(r, 400));
    return reply(`answer to ${inbound.text}`);
  },
};

describe("a slow or flaky Slack gets one reply, not two", () => {
  let piper: TestPiper;
  beforeAll(async () => {
    piper = await startTestPiper({ router: () => router, progressAfterMs: 50 }, { PIPER_SLACK_TIMEOUT_MS: "1000" });
  });
  afterAll(async () => piper?.close());

  /** Waits until Piper has nothing queued and Slack has no call in flight: any stray second post has landed by then. */
  async function settled(): Promise<void> {
    const slack = piper.slackLocal;
    for (let i = 0; i < 2; i++) {
      await slack.waitFor(() => piper.slack.queue.pending === 0);
      await slack.idle();
    }
  }

  async function mention(channel: string, text: string): Promise<string> {
    const { ts } = await piper.slackLocal.postUserMessage({ channel, text: `<@${piper.botUserId}> ${text}` });
    await piper.slackLocal.waitFor(() => botReplies(piper.slackLocal, channel, ts).length > 0);
    await settled();
    return ts;
  }

  it("Slack posting the reply 1.5 s after a 1.0 s timeout: one reply, and chat.postMessage was not sent twice", async () => {
    const slack = piper.slackLocal;
    slack.delayNext("chat.postMessage", 1_500);
    const ts = await mention(slack.channels.general, "status");
    expect(botReplies(slack, slack.channels.general, ts).map((m) => m.text)).toEqual(["answer to status"]);
    expect(slack.calls.filter((c) => c.method === "chat.postMessage" && c.args.thread_ts === ts)).toHaveLength(1);
  });

  it("a 5xx after Slack posted the reply: still one reply", async () => {
    const slack = piper.slackLocal;
    slack.serverErrorNext("chat.postMessage", { status: 503, afterWrite: true });
    const ts = await mention(slack.channels.random, "status");
    expect(botReplies(slack, slack.channels.random, ts).map((m) => m.text)).toEqual(["answer to status"]);
  });

  it("the placeholder's update answered after the timeout: one message, holding the answer", async () => {
    const slack = piper.slackLocal;
    slack.delayNext("chat.update", 1_500);
    const ts = await mention(slack.channels.mobile, "slow status");
    await slack.waitFor(() => botReplies(slack, slack.channels.mobile, ts)[0]?.text === "answer to slow status");
    expect(botReplies(slack, slack.channels.mobile, ts)).toHaveLength(1);
    // It was the placeholder, updated — not a second post.
    expect(slack.calls.filter((c) => c.method === "chat.postMessage" && c.args.thread_ts === ts)).toHaveLength(1);
    expect(slack.calls.some((c) => c.method === "chat.update" && c.args.channel === slack.channels.mobile)).toBe(true);
  });
});
