import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPiper, type TestPiper } from "../support/piper.js";

describe("a direct message gets exactly one reply", () => {
  let piper: TestPiper;
  beforeAll(async () => {
    piper = await startTestPiper();
  });
  afterAll(async () => piper?.close());

  it("answers a top-level DM at top level in the DM", async () => {
    const slack = piper.slackLocal;
    const dm = slack.channels.dmWithPiper();
    const { ts } = await slack.postUserMessage({ channel: dm, text: "help" });
    const reply = await slack.waitFor(() => slack.messages(dm).find((m) => m.bot_id !== undefined && Number(m.ts) > Number(ts)));
    expect(reply.thread_ts).toBeUndefined();
    expect(reply.text).toContain("/piper help");
    await slack.waitFor(() => piper.slack.queue.pending === 0);
    expect(slack.messages(dm).filter((m) => m.bot_id !== undefined)).toHaveLength(1);
  });

  it("answers a DM written in a thread inside that thread", async () => {
    const slack = piper.slackLocal;
    const dm = slack.channels.dmWithPiper();
    const root = await slack.postUserMessage({ channel: dm, text: "notes" });
    await slack.waitFor(() => piper.slack.queue.pending === 0);
    const { ts } = await slack.postUserMessage({ channel: dm, threadTs: root.ts, text: "hi piper" });
    const reply = await slack.waitFor(() => slack.replies(dm, root.ts).find((m) => m.bot_id !== undefined && Number(m.ts) > Number(ts)));
    expect(reply.thread_ts).toBe(root.ts);
  });
});
