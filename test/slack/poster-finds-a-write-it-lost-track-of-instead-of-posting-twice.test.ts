// A post whose outcome Piper does not know (timeout, 5xx) is looked up by its key before it is ever sent again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SlackWriteUnconfirmedError } from "../../src/slack/poster.js";
import { posterAgainstEmulator, type PosterHarness } from "./support/poster.js";

describe("a post whose outcome is unknown", () => {
  let h: PosterHarness;
  beforeAll(async () => {
    // Slack answers in 600 ms against a 250 ms timeout; the poster looks at +200 ms (too early) and again at +1.2 s.
    h = await posterAgainstEmulator({ timeoutMs: 250, lookBackDelaysMs: [200, 1_000] });
  });
  afterAll(async () => h?.close());

  const postsTo = (channel: string, threadTs?: string) =>
    h.slack.calls.filter((c) => c.method === "chat.postMessage" && c.args.channel === channel && (threadTs === undefined || c.args.thread_ts === threadTs));
  const botMessages = (channel: string, threadTs: string) => h.slack.replies(channel, threadTs).filter((m) => m.bot_id && m.ts !== threadTs);

  it("Slack answering after the timeout (but posting): the message is found by its key and not posted again", async () => {
    const { slack, poster } = h;
    const root = await slack.postUserMessage({ channel: slack.channels.general, text: "question" });
    slack.delayNext("chat.postMessage", 600);
    const posted = await poster.postMessage(slack.channels.general, root.ts, { text: "the answer" }, { key: "Ev0SLOW0001" });
    await slack.idle();
    const replies = botMessages(slack.channels.general, root.ts);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ ts: posted.ts, text: "the answer", metadata: { event_type: "piper_reply", event_payload: { key: "Ev0SLOW0001" } } });
    expect(postsTo(slack.channels.general, root.ts)).toHaveLength(1);
    expect(h.warnings("outcome unknown").length).toBeGreaterThan(0);
  });

  it("a 5xx after Slack wrote the message: found, not posted again", async () => {
    const { slack, poster } = h;
    const root = await slack.postUserMessage({ channel: slack.channels.random, text: "question" });
    slack.serverErrorNext("chat.postMessage", { status: 503, afterWrite: true });
    await poster.postMessage(slack.channels.random, root.ts, { text: "once" }, { key: "Ev0FIVE0001" });
    expect(botMessages(slack.channels.random, root.ts)).toHaveLength(1);
    expect(postsTo(slack.channels.random, root.ts)).toHaveLength(1);
  });

  it("a 5xx before Slack wrote anything: not found, so it is posted exactly once more", async () => {
    const { slack, poster } = h;
    const root = await slack.postUserMessage({ channel: slack.channels.mobile, text: "question" });
    slack.serverErrorNext("chat.postMessage", { status: 500 });
    const posted = await poster.postMessage(slack.channels.mobile, root.ts, { text: "second try" }, { key: "Ev0FIVE0002" });
    expect(botMessages(slack.channels.mobile, root.ts).map((m) => m.ts)).toEqual([posted.ts]);
    expect(postsTo(slack.channels.mobile, root.ts)).toHaveLength(2);
  });

  it("unknown twice and never written: gives up with a typed error after one retry", async () => {
    const { slack, poster } = h;
    const root = await slack.postUserMessage({ channel: slack.channels.mobile, text: "question" });
    slack.serverErrorNext("chat.postMessage", { status: 502 }, 2);
    const err = await poster.postMessage(slack.channels.mobile, root.ts, { text: "never" }, { key: "Ev0FIVE0003" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SlackWriteUnconfirmedError);
    expect((err as SlackWriteUnconfirmedError).code).toBe("SLACK_WRITE_UNCONFIRMED");
    expect((err as SlackWriteUnconfirmedError).userMessage).not.toMatch(/502|http|slack_webapi/i);
    expect(postsTo(slack.channels.mobile, root.ts)).toHaveLength(2);
    expect(botMessages(slack.channels.mobile, root.ts)).toHaveLength(0);
  });

  it("top-level posts are looked up in the channel's history", async () => {
    const { slack, poster } = h;
    const dm = slack.channels.dmWithPiper();
    slack.delayNext("chat.postMessage", 600);
    const before = postsTo(dm).length;
    const posted = await poster.postMessage(dm, undefined, { text: "top-level answer" }, { key: "Ev0SLOWDM01" });
    await slack.idle();
    expect(slack.messages(dm).filter((m) => m.text === "top-level answer").map((m) => m.ts)).toEqual([posted.ts]);
    expect(postsTo(dm).length - before).toBe(1);
  });

  it("reads are retried on a 5xx (they change nothing), writes never blindly", async () => {
    const { slack, poster } = h;
    const root = await slack.postUserMessage({ channel: slack.channels.general, text: "thread" });
    slack.serverErrorNext("conversations.replies", { status: 503 });
    const res = await poster.call("conversations.replies", (c) => c.conversations.replies({ channel: slack.channels.general, ts: root.ts }));
    expect(res.messages?.[0]?.text).toBe("thread");
    expect(slack.calls.filter((c) => c.method === "conversations.replies" && c.args.ts === root.ts)).toHaveLength(2);
  });
});
