// postReply handles the refusals it can (too long, bad blocks, not in the channel) and logs each; others are typed errors.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SlackRefusedError } from "../../src/slack/poster.js";
import { posterAgainstEmulator, type PosterHarness } from "./support/poster.js";

const section = (text: string) => ({ type: "section", text: { type: "mrkdwn", text } });

describe("Slack refusing a reply", () => {
  let h: PosterHarness;
  beforeAll(async () => {
    h = await posterAgainstEmulator();
    h.slack.enforceLimits();
  });
  afterAll(async () => h?.close());
  afterEach(() => {
    h.slack.invitePiperTo(h.slack.channels.mobile);
    h.slack.invitePiperTo(h.slack.channels.privateChannel);
  });

  async function thread(channel: string) {
    return (await h.slack.postUserMessage({ channel, text: "question" })).ts;
  }
  const botReplies = (channel: string, ts: string) => h.slack.replies(channel, ts).filter((m) => m.bot_id && m.ts !== ts);

  it("msg_too_long: the text is split into several messages in the thread, in order, each within Slack's limit", async () => {
    const { slack, poster } = h;
    const ts = await thread(slack.channels.general);
    const paragraphs = Array.from({ length: 9 }, (_, i) => `${String(i).repeat(9_000)}`);
    const text = paragraphs.join("\n\n");
    const reply = await poster.postReply({ channel: slack.channels.general, threadTs: ts, user: slack.users.alice }, { text }, { key: "Ev0LONG0001" });
    const posted = botReplies(slack.channels.general, ts);
    expect(posted.length).toBeGreaterThan(1);
    expect(posted.every((m) => m.text.length <= 40_000)).toBe(true);
    expect(posted.map((m) => m.text).join("\n\n")).toBe(text);
    expect(reply).toMatchObject({ delivery: "posted" });
    expect(reply.messages.map((m) => m.ts)).toEqual(posted.map((m) => m.ts));
    expect(h.warnings("msg_too_long").length).toBeGreaterThan(0);
  });

  it("invalid_blocks: posted once more as text only", async () => {
    const { slack, poster } = h;
    const ts = await thread(slack.channels.general);
    const blocks = Array.from({ length: 51 }, (_, i) => section(`part ${i}`));
    await poster.postReply({ channel: slack.channels.general, threadTs: ts, user: slack.users.alice }, { text: "the whole answer", blocks }, { key: "Ev0BLOCKS01" });
    const posted = botReplies(slack.channels.general, ts);
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ text: "the whole answer", blocks: undefined });
    expect(h.warnings("invalid_blocks").length).toBeGreaterThan(0);
  });

  it("not_in_channel: the asker is told ephemerally, in the thread, how to invite Piper", async () => {
    const { slack, poster } = h;
    const ts = await thread(slack.channels.random);
    slack.failNext("chat.postMessage", "not_in_channel");
    const reply = await poster.postReply({ channel: slack.channels.random, threadTs: ts, user: slack.users.bob }, { text: "answer" }, { key: "Ev0INVITE01" });
    expect(reply).toEqual({ delivery: "ephemeral", messages: [] });
    const hint = slack.messages(slack.channels.random).find((m) => m.ephemeral && m.for_user === slack.users.bob && m.thread_ts === ts)!;
    expect(hint.text).toBe(`I'm not in <#${slack.channels.random}> yet — type \`/invite @piper\` there and ask again.`);
    expect(botReplies(slack.channels.random, ts)).toHaveLength(0);
    expect(h.warnings("not_in_channel").length).toBeGreaterThan(0);
  });

  it("a channel Piper was removed from refuses the ephemeral too: the hint arrives as a DM", async () => {
    const { slack, poster } = h;
    const ts = await thread(slack.channels.mobile);
    slack.removePiperFrom(slack.channels.mobile);
    const reply = await poster.postReply({ channel: slack.channels.mobile, threadTs: ts, user: slack.users.alice }, { text: "answer" }, { key: "Ev0INVITE02" });
    const dm = slack.channels.dmWithPiper(slack.users.alice);
    expect(reply.delivery).toBe("dm");
    expect(reply.messages[0]!.channel).toBe(dm);
    expect(slack.messages(dm).at(-1)!.text).toBe(`I'm not in <#${slack.channels.mobile}> yet — type \`/invite @piper\` there and ask again.`);
  });

  it("a private channel Piper isn't in (channel_not_found) gets the same hint", async () => {
    const { slack, poster } = h;
    const ts = await thread(slack.channels.privateChannel);
    slack.removePiperFrom(slack.channels.privateChannel);
    const reply = await poster.postReply({ channel: slack.channels.privateChannel, threadTs: ts, user: slack.users.bob }, { text: "answer" }, { key: "Ev0INVITE03" });
    expect(reply.delivery).toBe("dm");
    expect(slack.messages(slack.channels.dmWithPiper(slack.users.bob)).at(-1)!.text).toContain("/invite @piper");
  });

  it("a refusal it cannot handle is a typed error with Slack's code, logged once", async () => {
    const { slack, poster } = h;
    const ts = await thread(slack.channels.general);
    slack.failNext("chat.postMessage", "restricted_action");
    const err = (await poster.postReply({ channel: slack.channels.general, threadTs: ts, user: slack.users.alice }, { text: "answer" }, { key: "Ev0REFUSE01" }).catch((e: unknown) => e)) as SlackRefusedError;
    expect(err).toBeInstanceOf(SlackRefusedError);
    expect(err).toMatchObject({ code: "SLACK_REFUSED", slackError: "restricted_action" });
    expect(err.userMessage).toContain("restricted_action");
    expect(h.warnings("restricted_action")).toHaveLength(1);
    expect(botReplies(slack.channels.general, ts)).toHaveLength(0);
  });
});
