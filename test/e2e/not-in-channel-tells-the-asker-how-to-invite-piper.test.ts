// Piper removed from a channel while it worked: the asker is told, only to them, how to invite it back — no error, no silence.
// Needs responder.ts to deliver its answer through poster.postReply / updateOrPost.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { botReplies, startTestPiper, type TestPiper } from "../support/piper.js";

describe("a channel Piper is not in", () => {
  let piper: TestPiper;
  beforeAll(async () => {
    piper = await startTestPiper();
  });
  afterAll(async () => piper?.close());

  it("public channel: an ephemeral hint in the thread for the asker, nothing posted for everyone", async () => {
    const slack = piper.slackLocal;
    slack.failNext("chat.postMessage", "not_in_channel");
    const { ts } = await slack.postUserMessage({ channel: slack.channels.general, user: slack.users.bob, text: `<@${piper.botUserId}> help` });
    const hint = await slack.waitFor(() => slack.messages(slack.channels.general).find((m) => m.ephemeral && m.for_user === slack.users.bob && m.thread_ts === ts));
    expect(hint.text).toBe(`I'm not in <#${slack.channels.general}> yet — type \`/invite @piper\` there and ask again.`);
    await slack.waitFor(() => piper.slack.queue.pending === 0);
    expect(botReplies(slack, slack.channels.general, ts)).toHaveLength(0);
  });

  it("when Slack refuses the ephemeral too, the hint arrives as a DM", async () => {
    const slack = piper.slackLocal;
    // Removed before the mention arrives, so the answer cannot win a race; the emulator still delivers the event.
    slack.removePiperFrom(slack.channels.mobile);
    const { ts } = await slack.postUserMessage({ channel: slack.channels.mobile, text: `<@${piper.botUserId}> help` });
    const dm = slack.channels.dmWithPiper(slack.users.alice);
    const hint = await slack.waitFor(() => slack.messages(dm).find((m) => m.text.includes("/invite @piper")));
    expect(hint.text).toContain(`<#${slack.channels.mobile}>`);
    await slack.waitFor(() => piper.slack.queue.pending === 0);
    expect(botReplies(slack, slack.channels.mobile, ts)).toHaveLength(0);
  });
});
