// Issue 8's walk-through, through the emulator: each message reaches the terminal the routing table says — without a model and with the fake one — and no reply re-pings anyone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { terminalFor } from "../../src/routing/gate.js";
import { NO_MODEL_NOTE } from "../../src/routing/graph-router.js";
import type { Intent, Terminal } from "../../src/routing/intent.js";
import { startAnthropicFake, type AnthropicFake } from "../fakes/anthropic.js";
import { askInThread, botAnswers, botReplies, startTestPiper, type TestPiper } from "../support/piper.js";

const COMPOUND = "create an issue for the safari login bug and tell me what's blocking the release";

interface Case {
  text: string;
  terminal: Terminal;
  category: Intent["category"];
  /** What the answer must say, without a model. */
  answer: RegExp;
}

const CASES: Case[] = [
  { text: "hi piper", terminal: "canonical", category: "CONVERSATION", answer: /Hi! 👋 I'm Piper/ },
  { text: "what projects are we tracking?", terminal: "canonical", category: "PORTFOLIO", answer: /GitHub repositories/ },
  { text: "who are you?", terminal: "floor", category: "IDENTITY", answer: /I'm Piper, a project-management assistant/ },
  { text: "what do you store about us?", terminal: "floor", category: "TRUST", answer: /What I store/ },
  { text: "how do I connect GitHub?", terminal: "canonical", category: "GUIDANCE", answer: /GitHub is connected and working/ },
  { text: COMPOUND, terminal: "floor", category: "EXECUTION", answer: /I see two requests — which first\?/ },
];

describe("routing through the emulator without a model", () => {
  let piper: TestPiper;
  beforeAll(async () => {
    piper = await startTestPiper();
  });
  afterAll(async () => piper?.close());

  for (const c of CASES) {
    it(`“${c.text}” reaches the ${c.terminal} terminal`, async () => {
      const { reply: { text: reply }, intent } = await askInThread(piper, piper.slackLocal.channels.general, c.text);
      expect(intent.category).toBe(c.category);
      expect(terminalFor(intent)).toBe(c.terminal);
      expect(reply).toMatch(c.answer);
    });
  }

  it("says once per conversation that answers are limited without a model", async () => {
    const slack = piper.slackLocal;
    const root = await slack.postUserMessage({ channel: slack.channels.random, text: `<@${piper.botUserId}> what do you store about us?` });
    await slack.waitFor(() => botAnswers(slack, slack.channels.random, root.ts).length === 1);
    await slack.postUserMessage({ channel: slack.channels.random, threadTs: root.ts, text: `<@${piper.botUserId}> and how long do you keep it for?` });
    const replies = await slack.waitFor(() => {
      const r = botAnswers(slack, slack.channels.random, root.ts);
      return r.length === 2 && r;
    });
    expect(replies[0]!.text).toContain(NO_MODEL_NOTE);
    expect(replies[1]!.text).not.toContain(NO_MODEL_NOTE);
  });

  it("offers the parts of a compound request as buttons; a click asks that part once, however often it is clicked", async () => {
    const slack = piper.slackLocal;
    const { ts } = await slack.postUserMessage({ channel: slack.channels.privateChannel, text: `<@${piper.botUserId}> ${COMPOUND}` });
    const question = await slack.waitFor(() => botAnswers(slack, slack.channels.privateChannel, ts)[0]);
    const actions = (question.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>).find((b) => b.type === "actions")!;
    expect(actions.elements!.map((e) => e.value)).toEqual(["create an issue for the safari login bug", "tell me what's blocking the release"]);
    const blockers = actions.elements![1]!;
    expect((await slack.click({ channel: slack.channels.privateChannel, ts: question.ts, actionId: blockers.action_id, value: blockers.value, user: slack.users.bob })).status).toBe(200);
    const answered = await slack.waitFor(() => {
      const r = botAnswers(slack, slack.channels.privateChannel, ts);
      return r.length === 2 && r;
    });
    expect(answered[1]!.text).toMatch(/block/i);
    // The same part clicked again, by someone else: already asked, so no second answer.
    await slack.click({ channel: slack.channels.privateChannel, ts: question.ts, actionId: blockers.action_id, value: blockers.value });
    await expect.poll(async () => piper.db.prisma.conversationTurn.count({ where: { threadTs: ts } }), { timeout: 30_000 }).toBe(2);
    await slack.waitFor(() => piper.slack.queue.pending === 0);
    expect(botReplies(slack, slack.channels.privateChannel, ts)).toHaveLength(2);
  });

  it("never re-pings a person or a group it was asked about", async () => {
    const slack = piper.slackLocal;
    const { reply: { text: reply } } = await askInThread(piper, slack.channels.mobile, `<!here> what is <@${slack.users.bob}> supposed to do about <!subteam^S0123|@eng>? I mean the thing`);
    expect(reply).not.toMatch(/<@|<!/);
  });
});

describe("routing through the emulator with the model (the Anthropic fake)", () => {
  let piper: TestPiper;
  let anthropic: AnthropicFake;
  const labels: Record<string, { category: string; action: string; compound?: boolean; parts?: unknown[] }> = {
    "what projects are we tracking?": { category: "PORTFOLIO", action: "list_projects" },
    "what do you store about us?": { category: "TRUST", action: "data_stored" },
    "how do I connect GitHub?": { category: "GUIDANCE", action: "setup_github" },
    [COMPOUND]: {
      category: "EXECUTION",
      action: "create_issue",
      compound: true,
      parts: [
        { text: "create an issue for the safari login bug", category: "EXECUTION", action: "create_issue" },
        { text: "tell me what's blocking the release", category: "STATUS", action: "blockers" },
      ],
    },
  };
  beforeAll(async () => {
    anthropic = await startAnthropicFake();
    anthropic.respondWith((request) => {
      const last = JSON.stringify(request.messages.at(-1));
      if (request.tools?.length) {
        const text = Object.keys(labels).find((t) => last.includes(t.replace(/"/g, '\\"')));
        const label = text ? labels[text]! : { category: "UNKNOWN", action: "unclear" };
        return [{ type: "tool_use", name: "classify_intent", input: { confidence: 0.93, compound: false, ...label } }];
      }
      return [{ type: "text", text: "I keep what you tell me in your own database, nothing else." }];
    });
    piper = await startTestPiper({}, { ANTHROPIC_API_KEY: anthropic.apiKey, ANTHROPIC_BASE_URL: anthropic.url });
  });
  afterAll(async () => {
    await piper?.close();
    await anthropic?.close();
  });

  for (const c of CASES) {
    it(`“${c.text}” reaches the ${c.terminal} terminal`, async () => {
      const { reply: { text: reply }, intent } = await askInThread(piper, piper.slackLocal.channels.general, c.text);
      expect(intent.category).toBe(c.category);
      expect(terminalFor(intent)).toBe(c.terminal);
      if (labels[c.text]) expect(intent.source).toBe("llm");
      // Floor answers come from the model; the rest are the same deterministic answers as without one.
      if (c.terminal === "floor" && c.text !== COMPOUND) expect(reply).toContain("I keep what you tell me in your own database");
      else expect(reply).toMatch(c.answer);
      expect(reply).not.toContain(NO_MODEL_NOTE);
    });
  }
});
