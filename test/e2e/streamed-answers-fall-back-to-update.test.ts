import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Router } from "../../src/routing/router.js";
import { botReplies, startTestPiper, type TestPiper } from "../support/piper.js";

async function* words(text: string): AsyncIterable<string> {
  for (const w of text.split(" ")) {
    await new Promise((r) => setTimeout(r, 5));
    yield `${w} `;
  }
}

async function* failsPartWay(): AsyncIterable<string> {
  yield "Here is the first half ";
  await new Promise((r) => setTimeout(r, 30));
  yield "of the answer. ";
  throw new Error("model connection dropped");
}

const streaming: Router = {
  activity: () => "writing",
  route: async (inbound) => ({
    kind: "stream",
    chunks: inbound.text === "break" ? failsPartWay() : words(`**Plan** for ${inbound.text}: ship the login fix, then the Safari work`),
  }),
};

describe("streamed answers", () => {
  let piper: TestPiper;
  beforeAll(async () => {
    piper = await startTestPiper({ router: () => streaming, progressAfterMs: 60_000 });
  });
  afterAll(async () => piper?.close());

  it("stream into one message in the thread, addressed to the asker in channels", async () => {
    const slack = piper.slackLocal;
    const { ts } = await slack.postUserMessage({ channel: slack.channels.general, text: `<@${piper.botUserId}> mobile` });
    await slack.waitFor(() => slack.calls.some((c) => c.method === "chat.stopStream"));
    const start = slack.calls.find((c) => c.method === "chat.startStream")!;
    expect(start.args.thread_ts).toBe(ts);
    expect(start.args.recipient_user_id).toBe(slack.users.alice);
    expect(start.args.recipient_team_id).toBe(slack.teamId);
    const replies = botReplies(slack, slack.channels.general, ts);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toContain("ship the login fix");
  });

  it("finish with chat.update when appending to the stream fails", async () => {
    const slack = piper.slackLocal;
    slack.failNext("chat.appendStream", "message_not_in_streaming_state", 100);
    const { ts } = await slack.postUserMessage({ channel: slack.channels.random, text: `<@${piper.botUserId}> web` });
    const final = await slack.waitFor(() => {
      const r = botReplies(slack, slack.channels.random, ts);
      return r.length === 1 && r[0]!.text.includes("Safari work") && r[0];
    });
    expect(final.text).toContain("*Plan* for web"); // Markdown became mrkdwn on the update path
    expect(slack.calls.some((c) => c.method === "chat.update" && c.args.ts === final.ts)).toBe(true);
    await slack.waitFor(() => piper.slack.queue.pending === 0);
    expect(botReplies(slack, slack.channels.random, ts)).toHaveLength(1);
  });

  it("keep what was streamed when the model fails part-way, and add one error to that same message", async () => {
    const slack = piper.slackLocal;
    const { ts } = await slack.postUserMessage({ channel: slack.channels.mobile, text: `<@${piper.botUserId}> break` });
    const final = await slack.waitFor(() => {
      const r = botReplies(slack, slack.channels.mobile, ts);
      return r.length === 1 && r[0]!.text.includes("logged it as") && r[0];
    });
    expect(final.text).toMatch(/^Here is the first half of the answer\.\s+Something went wrong while writing — I've logged it as `E[0-9A-F]{8}`/);
    const calls = slack.calls.filter((c) => c.args.ts === final.ts).map((c) => c.method);
    expect(calls.indexOf("chat.stopStream")).toBeLessThan(calls.lastIndexOf("chat.update"));
    await slack.waitFor(() => piper.slack.queue.pending === 0);
    expect(botReplies(slack, slack.channels.mobile, ts)).toHaveLength(1);
  });
});
