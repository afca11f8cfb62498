import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { startLocalSlack, type LocalSlack, type StoredMessage } from "../../src/local/index.js";
import { startPiper } from "../../src/piper.js";
import { noEntities, type Intent } from "../../src/routing/intent.js";
import type { Router } from "../../src/routing/router.js";
import { FEEDBACK_ACTION_ID } from "../../src/slack/feedback.js";
import { FEEDBACK_THANKS } from "../../src/slack/listeners/actions.js";
import type { Database } from "../../src/db/index.js";
import { createTestDatabase } from "../support/database.js";
import { botReplies, startTestPiper, type TestPiper } from "../support/piper.js";

const INTENT: Intent = { category: "STATUS", action: "blockers", confidence: 0.92, entities: noEntities(), source: "llm" };

/** Answers like a classifier-routed handler: an intent and feedback buttons; "blocks" answers bring their own blocks. */
const classified = (): Router => ({
  activity: () => "answering",
  async route(inbound) {
    if (inbound.text.includes("own blocks")) {
      return {
        kind: "reply",
        text: "Here are the blockers.",
        blocks: [
          { type: "section", text: { type: "mrkdwn", text: "Here are the blockers." } },
          { type: "actions", elements: [{ type: "button", action_id: "not_a_piper_action", text: { type: "plain_text", text: "Open" }, value: "x" }] },
        ],
        intent: INTENT,
        feedback: true,
      };
    }
    if (inbound.text.includes("no feedback")) return { kind: "reply", text: "Plain answer." };
    return { kind: "reply", text: `Blockers for: ${inbound.text}`, intent: INTENT, feedback: true };
  },
});

type Block = { type: string; elements?: Array<Record<string, any>> };

async function ask(slack: LocalSlack, botUserId: string, channel: string, text: string): Promise<{ ts: string; eventId: string; answer: StoredMessage }> {
  const { ts, eventIds } = await slack.postUserMessage({ channel, text: `<@${botUserId}> ${text}` });
  const answer = await slack.waitFor(() => botReplies(slack, channel, ts)[0]);
  // [message, app_mention]: the mention is the request Piper answers.
  return { ts, eventId: eventIds[1]!, answer };
}

function thanks(slack: LocalSlack, channel: string, user: string, threadTs: string): StoredMessage[] {
  return slack.messages(channel).filter((m) => m.ephemeral && m.for_user === user && m.thread_ts === threadTs && m.text === FEEDBACK_THANKS);
}

function votes(db: Database, messageTs: string) {
  return db.prisma.feedbackVote.findMany({ where: { messageTs }, orderBy: { userId: "asc" } });
}

describe("feedback buttons under classifier-routed answers record one vote per person (HTTP, signed)", () => {
  let piper: TestPiper;
  beforeAll(async () => {
    piper = await startTestPiper({ router: classified });
  });
  afterAll(async () => piper?.close());

  it("the answer carries the buttons; a click is recorded with the turn's intent and text, a second click changes it, and the clicker is thanked", async () => {
    const slack = piper.slackLocal;
    const channel = slack.channels.general;
    const { ts, eventId, answer } = await ask(slack, piper.botUserId, channel, "what's blocking mobile?");

    const last = answer.blocks!.at(-1) as Block;
    expect(answer.blocks![0]).toMatchObject({ type: "section", text: { text: "Blockers for: what's blocking mobile?" } });
    expect(last).toMatchObject({
      type: "context_actions",
      elements: [
        {
          type: "feedback_buttons",
          action_id: FEEDBACK_ACTION_ID,
          positive_button: { text: { type: "plain_text", text: "👍" }, value: `good:${eventId}` },
          negative_button: { text: { type: "plain_text", text: "👎" }, value: `bad:${eventId}` },
        },
      ],
    });
    expect(last.elements![0]!.positive_button.accessibility_label).toBeTruthy();
    expect(last.elements![0]!.negative_button.accessibility_label).toBeTruthy();

    // The turn is written in a batch just after the answer, with the intent the router gave.
    await expect.poll(async () => (await piper.db.prisma.conversationTurn.findFirst({ where: { eventId } }))?.intent ?? null, { timeout: 30_000 }).not.toBeNull();
    const stored = await piper.db.prisma.conversationTurn.findFirstOrThrow({ where: { eventId } });
    expect(JSON.parse(stored.intent!)).toEqual(INTENT);

    const good = await slack.click({ channel, ts: answer.ts, actionId: FEEDBACK_ACTION_ID, value: `good:${eventId}` });
    expect(good.status).toBe(200);
    expect(good.payload).toMatchObject({ type: "block_actions", container: { type: "message", message_ts: answer.ts, channel_id: channel, is_ephemeral: false }, message: { ts: answer.ts, thread_ts: ts } });
    await slack.waitFor(() => thanks(slack, channel, slack.users.alice, ts).length === 1);
    const first = await votes(piper.db, answer.ts);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ teamId: slack.teamId, channelId: channel, userId: slack.users.alice, vote: "good", eventId, category: "STATUS", action: "blockers", userText: "what's blocking mobile?" });

    // Changing one's mind updates the vote: still one row for this person and answer.
    const bad = await slack.click({ channel, ts: answer.ts, actionId: FEEDBACK_ACTION_ID, value: `bad:${eventId}` });
    expect(bad.status).toBe(200);
    await slack.waitFor(() => thanks(slack, channel, slack.users.alice, ts).length === 2);
    const second = await votes(piper.db, answer.ts);
    expect(second).toHaveLength(1);
    expect(second[0]).toMatchObject({ id: first[0]!.id, vote: "bad", category: "STATUS", action: "blockers" });

    // Another person's vote on the same answer is their own.
    await slack.click({ channel, ts: answer.ts, actionId: FEEDBACK_ACTION_ID, value: `good:${eventId}`, user: slack.users.bob });
    await slack.waitFor(() => thanks(slack, channel, slack.users.bob, ts).length === 1);
    expect((await votes(piper.db, answer.ts)).map((v) => [v.userId, v.vote])).toEqual([
      [slack.users.alice, "bad"],
      [slack.users.bob, "good"],
    ]);
  });

  it("an answer with its own blocks gets the buttons appended; an unknown action id is acked and ignored; answers without feedback get none", async () => {
    const slack = piper.slackLocal;
    const channel = slack.channels.random;
    const { answer } = await ask(slack, piper.botUserId, channel, "own blocks please");
    expect(answer.blocks!.map((b) => (b as Block).type)).toEqual(["section", "actions", "context_actions"]);

    const posts = () => slack.calls.filter((c) => c.method === "chat.postEphemeral").length;
    const before = posts();
    const other = await slack.click({ channel, ts: answer.ts, actionId: "not_a_piper_action" });
    expect(other.status).toBe(200);
    // Over HTTP Bolt answers once the listener returned, and for an unknown id it starts no work.
    expect(await votes(piper.db, answer.ts)).toHaveLength(0);
    expect(posts()).toBe(before);

    const plain = await ask(slack, piper.botUserId, channel, "no feedback here");
    expect(plain.answer.blocks!.some((b) => (b as Block).type === "context_actions")).toBe(false);
  });

  it("the page's click endpoint delivers the same block_actions as a person's click", async () => {
    const slack = piper.slackLocal;
    const channel = slack.channels.mobile;
    const { ts, eventId, answer } = await ask(slack, piper.botUserId, channel, "what's blocking the page?");
    const res = await fetch(`${slack.url}/_local/click`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ channel, ts: answer.ts, actionId: FEEDBACK_ACTION_ID, value: `good:${eventId}` }),
    });
    expect(await res.json()).toMatchObject({ ok: true, status: 200 });
    await slack.waitFor(() => thanks(slack, channel, slack.users.alice, ts).length === 1);
    expect(await votes(piper.db, answer.ts)).toMatchObject([{ vote: "good", userId: slack.users.alice }]);
  });

  it("a forged (badly signed) or stale block_actions request is refused with 401 and records nothing", async () => {
    const slack = piper.slackLocal;
    const channel = slack.channels.general;
    const { ts, eventId, answer } = await ask(slack, piper.botUserId, channel, "is the forged click refused?");
    const click = { channel, ts: answer.ts, actionId: FEEDBACK_ACTION_ID, value: `bad:${eventId}` };
    expect((await slack.click(click, { signature: "bad" })).status).toBe(401);
    expect((await slack.click(click, { signature: "stale" })).status).toBe(401);
    // Refused before any listener ran: nothing can still be on its way. A real click afterwards is the only vote.
    expect(await votes(piper.db, answer.ts)).toHaveLength(0);
    await slack.click({ ...click, value: `good:${eventId}`, user: slack.users.bob });
    await slack.waitFor(() => thanks(slack, channel, slack.users.bob, ts).length === 1);
    expect(await votes(piper.db, answer.ts)).toMatchObject([{ userId: slack.users.bob, vote: "good" }]);
    expect(thanks(slack, channel, slack.users.alice, ts)).toHaveLength(0);
  });
});

describe("feedback over Socket Mode", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it("a click arrives as an interactive envelope, is acked, and recorded", async () => {
    const slack = await startLocalSlack({ port: 0, signingSecret: "feedback-socket-secret", botToken: "xoxb-feedback-socket", appToken: "xapp-feedback-socket" });
    cleanups.push(() => slack.close());
    const database = await createTestDatabase();
    cleanups.push(() => database.dispose());
    const config = loadConfig({ PIPER_PORT: "0", PIPER_HOST: "127.0.0.1", LOG_LEVEL: "silent", SLACK_API_URL: slack.apiUrl, SLACK_BOT_TOKEN: "xoxb-feedback-socket", SLACK_APP_TOKEN: "xapp-feedback-socket" });
    const piper = await startPiper(config, createLogger({ level: "silent" }), { database, pacing: { intervalMs: 5, burst: 10 }, router: classified });
    cleanups.push(() => piper.stop());
    expect(piper.config.slack.mode).toBe("socket");

    const channel = slack.channels.general;
    const { ts, eventId, answer } = await ask(slack, slack.botUserId, channel, "socket blockers?");
    await expect.poll(async () => (await database.prisma.conversationTurn.findFirst({ where: { eventId } }))?.intent ?? null, { timeout: 30_000 }).not.toBeNull();
    const click = await slack.click({ channel, ts: answer.ts, actionId: FEEDBACK_ACTION_ID, value: `good:${eventId}` });
    expect(click.status).toBe(200);
    await slack.waitFor(() => thanks(slack, channel, slack.users.alice, ts).length === 1);
    expect(await votes(database, answer.ts)).toMatchObject([{ vote: "good", category: "STATUS", action: "blockers", userText: "socket blockers?" }]);
  });
});
