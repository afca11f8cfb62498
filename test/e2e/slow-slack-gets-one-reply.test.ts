// A Slack that answers chat.postMessage after Piper's timeout (but did post) still gets exactly one reply.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { botReplies, startTestPiper, type TestPiper } from "../support/piper.js";

describe("a slow Slack gets one reply, not two", () => {
  let piper: TestPiper;
  beforeAll(async () => {
    piper = await startTestPiper({}, { PIPER_SLACK_TIMEOUT_MS: "1000" });
  });
  afterAll(async () => piper?.close());

  /** Waits until Piper has nothing queued and Slack has no call in flight: any stray second post has landed by then. */
  async function settled(): Promise<void> {
    const slack = piper.slackLocal;
    await slack.waitFor(() => piper.slack.queue.pending === 0);
    await slack.idle();
    await slack.waitFor(() => piper.slack.queue.pending === 0);
    await slack.idle();
  }

  it("Slack posting the reply 1.5 s after a 1.0 s timeout: one reply, and chat.postMessage was not sent twice", async () => {
    const slack = piper.slackLocal;
    slack.delayNext("chat.postMessage", 1_500);
    const { ts } = await slack.postUserMessage({ channel: slack.channels.general, text: `<@${piper.botUserId}> help` });
    await slack.waitFor(() => botReplies(slack, slack.channels.general, ts).length > 0);
    await settled();
    const replies = botReplies(slack, slack.channels.general, ts);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toContain("/piper standup");
    expect(slack.calls.filter((c) => c.method === "chat.postMessage" && c.args.thread_ts === ts)).toHaveLength(1);
  });
});
