import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { botReplies, startTestPiper, type TestPiper } from "../support/piper.js";

describe("a mention gets exactly one reply, in its thread", () => {
  let piper: TestPiper;
  beforeAll(async () => {
    piper = await startTestPiper();
  });
  afterAll(async () => piper?.close());

  it("answers a top-level mention in the thread of that message", async () => {
    const slack = piper.slackLocal;
    const { ts } = await slack.postUserMessage({ channel: slack.channels.general, text: `<@${piper.botUserId}> help` });
    const replies = await slack.waitFor(() => {
      const r = botReplies(slack, slack.channels.general, ts);
      return r.length > 0 && r;
    });
    expect(replies).toHaveLength(1);
    expect(replies[0]!.thread_ts).toBe(ts);
    expect(replies[0]!.text).toContain("/piper projects");
    // Let any stray second reply arrive before asserting there is none.
    await slack.waitFor(() => piper.slack.queue.pending === 0);
    expect(botReplies(slack, slack.channels.general, ts)).toHaveLength(1);
    // The exchange is remembered: the floor will read these turns.
    const turns = await piper.db.prisma.conversationTurn.findMany({ where: { threadTs: ts }, include: { room: { include: { territory: true } } } });
    expect(turns).toHaveLength(1);
    expect(turns[0]).toMatchObject({ userText: "help", slackUserId: slack.users.alice, room: { slackChannelId: slack.channels.general, kind: "channel", territory: { slackTeamId: slack.teamId } } });
    expect(turns[0]!.replyText).toContain("/piper projects");
  });

  it("answers a mention written inside an existing thread in that same thread", async () => {
    const slack = piper.slackLocal;
    const root = await slack.postUserMessage({ channel: slack.channels.random, text: "release plan for Friday" });
    const inThread = await slack.postUserMessage({ channel: slack.channels.random, threadTs: root.ts, text: `<@${piper.botUserId}> hello` });
    const replies = await slack.waitFor(() => {
      const r = botReplies(slack, slack.channels.random, root.ts);
      return r.length > 0 && r;
    });
    expect(replies).toHaveLength(1);
    expect(replies[0]!.thread_ts).toBe(root.ts);
    expect(Number(replies[0]!.ts)).toBeGreaterThan(Number(inThread.ts));
  });

  it("never answers its own messages, other bots, or ambient chatter", async () => {
    const slack = piper.slackLocal;
    const chatter = await slack.postUserMessage({ channel: slack.channels.mobile, text: "just chatting, no mention" });
    // A later mention is answered; by then the chatter would have been answered if it were going to be.
    const probe = await slack.postUserMessage({ channel: slack.channels.mobile, text: `<@${piper.botUserId}> help` });
    await slack.waitFor(() => botReplies(slack, slack.channels.mobile, probe.ts).length === 1);
    await slack.waitFor(() => piper.slack.queue.pending === 0);
    expect(botReplies(slack, slack.channels.mobile, chatter.ts)).toHaveLength(0);
    const botPosts = slack.calls.filter((c) => c.method === "chat.postMessage" && c.args.channel === slack.channels.mobile);
    expect(botPosts).toHaveLength(1);
  });
});
