import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Inbound } from "../../src/slack/inbound.js";
import { reply, type Router } from "../../src/routing/router.js";
import { botReplies, startTestPiper, type TestPiper } from "../support/piper.js";

describe("thread context and Slack's own rate limits", () => {
  const seen: Inbound[] = [];
  const recorder: Router = {
    activity: () => "listening",
    async route(inbound) {
      seen.push(inbound);
      return reply(`heard ${inbound.history.length} earlier message(s)`);
    },
  };
  let piper: TestPiper;
  beforeAll(async () => {
    piper = await startTestPiper({ router: () => recorder });
  });
  afterAll(async () => piper?.close());

  it("a mention in a thread is answered with the thread's earlier messages, from events Piper saw", async () => {
    const slack = piper.slackLocal;
    const c = slack.channels.mobile;
    const root = await slack.postUserMessage({ channel: c, text: "Android 15 crash on launch" });
    await slack.postUserMessage({ channel: c, threadTs: root.ts, user: slack.users.bob, text: "only on Pixel devices" });
    const callsBefore = slack.calls.filter((x) => x.method === "conversations.replies").length;
    const { ts } = await slack.postUserMessage({ channel: c, threadTs: root.ts, text: `<@${piper.botUserId}> what do we know?` });
    await slack.waitFor(() => botReplies(slack, c, root.ts).length === 1);
    const inbound = seen.find((s) => s.ts === ts)!;
    expect(inbound.history.map((m) => m.text)).toEqual(["Android 15 crash on launch", "only on Pixel devices"]);
    expect(inbound.history[1]!.user).toBe(slack.users.bob);
    expect(slack.calls.filter((x) => x.method === "conversations.replies").length).toBe(callsBefore);
  });

  it("a mention in a thread Piper never saw fills the gap with one conversations.replies call", async () => {
    const slack = piper.slackLocal;
    const c = slack.channels.random;
    const eventsUrl = `http://127.0.0.1:${piper.http.port}/slack/events`;
    slack.setDeliveryUrl(undefined); // Piper was not in the channel yet
    const root = await slack.postUserMessage({ channel: c, text: "Q3 planning" });
    await slack.postUserMessage({ channel: c, threadTs: root.ts, text: "we need a date" });
    slack.setDeliveryUrl(eventsUrl);
    const { ts } = await slack.postUserMessage({ channel: c, threadTs: root.ts, text: `<@${piper.botUserId}> summarize` });
    await slack.waitFor(() => botReplies(slack, c, root.ts).length === 1);
    expect(seen.find((s) => s.ts === ts)!.history.map((m) => m.text)).toEqual(["Q3 planning", "we need a date"]);
    expect(slack.calls.filter((x) => x.method === "conversations.replies" && x.args.ts === root.ts)).toHaveLength(1);
  });

  it("a 429 on chat.postMessage with a short Retry-After is waited out for that reply alone, and it is posted once", async () => {
    const slack = piper.slackLocal;
    slack.rateLimitNext("chat.postMessage", 1);
    const { ts } = await slack.postUserMessage({ channel: slack.channels.general, text: `<@${piper.botUserId}> hello` });
    const replies = await slack.waitFor(() => {
      const r = botReplies(slack, slack.channels.general, ts);
      return r.length > 0 && r;
    });
    expect(replies).toHaveLength(1);
    const attempts = slack.calls.filter((x) => x.method === "chat.postMessage" && x.args.thread_ts === ts);
    expect(attempts).toHaveLength(2);
    // A lower bound only (Retry-After: 1 was honoured); nothing here depends on the machine being fast.
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(900);
  });
});
