// "Summarize this thread" through the emulator: without a model an extractive summary labelled as such, made from
// what Piper saw (no extra Slack read); a thread Piper never saw is read within Slack's limits and says what it lacks.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoredMessage } from "../../src/local/index.js";
import { botAnswers, botReplies, startTestPiper, type TestPiper } from "../support/piper.js";

describe("summarize a thread without a model", () => {
  let piper: TestPiper;
  beforeAll(async () => {
    piper = await startTestPiper();
  });
  afterAll(async () => piper?.close());

  const slack = () => piper.slackLocal;
  const repliesCalls = (ts: string) => slack().calls.filter((c) => c.method === "conversations.replies" && c.args.ts === ts).length;

  async function askIn(channel: string, threadTs: string, text: string, user?: string): Promise<StoredMessage> {
    await slack().postUserMessage({ channel, threadTs, user, text: `<@${piper.botUserId}> ${text}` });
    const answer = await slack().waitFor(() => botAnswers(slack(), channel, threadTs)[0]);
    await slack().waitFor(() => piper.slack.queue.pending === 0);
    expect(botReplies(slack(), channel, threadTs)).toHaveLength(1);
    return slack().replies(channel, threadTs).find((m) => m.ts === answer.ts)!;
  }

  it("summarizes a thread Piper saw: decisions, open questions, owners and links, labelled extractive, with no extra read", async () => {
    const s = slack();
    const channel = s.channels.mobile;
    const { alice, bob } = s.users;
    const { ts: root } = await s.postUserMessage({ channel, user: alice, text: "Should we ship the Android fix on Friday?" });
    await s.postUserMessage({ channel, threadTs: root, user: bob, text: "Let's go with Friday, QA signed off. Report: <https://example.com/qa|QA report>" });
    await s.postUserMessage({ channel, threadTs: root, user: alice, text: "I'll write the release notes." });
    await s.postUserMessage({ channel, threadTs: root, user: bob, text: "Who owns the rollback plan?" });
    const before = repliesCalls(root);

    const answer = await askIn(channel, root, "tl;dr");
    const shown = JSON.stringify(answer.blocks);
    expect(answer.text).toContain("extractive summary (no model)");
    expect(shown).toContain("Extractive summary (no model)");
    expect(shown).toContain("4 messages, 2 participants: @alice, @bob");
    expect(shown).toContain("“Let's go with Friday, QA signed off.” — @bob");
    expect(shown).toContain("@alice: “I'll write the release notes.”");
    expect(shown).toContain("Who owns the rollback plan?");
    expect(shown).not.toContain("Should we ship the Android fix on Friday?"); // bob answered it
    expect(shown).toContain("<https://example.com/qa|QA report>");
    expect(repliesCalls(root)).toBe(before);
  });

  it("asked outside a thread, says where to ask and summarizes nothing", async () => {
    const s = slack();
    const channel = s.channels.general;
    const { ts } = await s.postUserMessage({ channel, text: `<@${piper.botUserId}> summarize this thread` });
    const answer = await s.waitFor(() => botAnswers(s, channel, ts)[0]);
    expect(answer.text).toContain("Ask me inside it");
  });

  it("a long thread Piper never saw is read once within Slack's limits, and the summary says what it could not read", async () => {
    const s = slack();
    const channel = s.channels.random;
    const eventsUrl = `http://127.0.0.1:${piper.http.port}/slack/events`;
    s.setDeliveryUrl(undefined); // Piper wasn't in the channel yet
    const { ts: root } = await s.postUserMessage({ channel, text: "Q3 planning: what goes in?" });
    for (let i = 1; i <= 19; i++) await s.postUserMessage({ channel, threadTs: root, user: i % 2 ? s.users.bob : s.users.alice, text: `point ${i}` });
    s.setDeliveryUrl(eventsUrl);

    const answer = await askIn(channel, root, "summarize this thread");
    // The request's own context read spent the workspace's one call a minute; the summary didn't make a second.
    expect(repliesCalls(root)).toBe(1);
    const shown = JSON.stringify(answer.blocks);
    expect(shown).toContain("Extractive summary (no model)");
    expect(shown).toMatch(/Made from the 15 of about 2\d messages I could see/);
    expect(shown).toContain("about once a minute");
  });
});
