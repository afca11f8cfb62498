// Issue 8 against the Anthropic fake (real SDK): a scripted classification routes; each model failure has its sentence and falls back to the local classifier; the floor's request holds the history, the context block and the no-fabrication rule.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ContextAssembler } from "../../src/floor/context-assembler.js";
import { ConversationalFloor } from "../../src/floor/floor.js";
import { NO_FABRICATION_RULE } from "../../src/floor/prompts.js";
import type { PrismaClient } from "../../src/generated/prisma/client.js";
import type { Integrations } from "../../src/integrations/index.js";
import { createLogger } from "../../src/logger.js";
import { modelFailureSentence } from "../../src/routing/create-routing.js";
import { terminalFor } from "../../src/routing/gate.js";
import { IntentResolver } from "../../src/routing/intent-resolver.js";
import { noEntities } from "../../src/routing/intent.js";
import { LlmClassifier } from "../../src/routing/llm-classifier.js";
import { LocalIntentModel } from "../../src/routing/local-intent-model.js";
import { loadUtterances } from "../../src/routing/utterances/index.js";
import type { Inbound } from "../../src/slack/inbound.js";
import { normalizeSlackText } from "../../src/slack/message-text.js";
import { startAnthropicFake, type AnthropicFake } from "../fakes/anthropic.js";
import { integrationsAgainst } from "../support/integrations.js";

const logger = createLogger({ level: "silent" });
const TEXT = "what's blocking the mobile release?";

describe("the model in the routing graph", () => {
  let anthropic: AnthropicFake;
  let integrations: Integrations;
  let local: LocalIntentModel;
  let resolver: IntentResolver;
  beforeAll(async () => {
    anthropic = await startAnthropicFake();
    // A high failure threshold: this file wants each failure's sentence, not the open breaker's.
    ({ integrations } = await integrationsAgainst({ anthropic }, { PIPER_BREAKER_FAILURES: "50" }));
    local = LocalIntentModel.train(loadUtterances());
    resolver = new IntentResolver({
      local,
      llm: new LlmClassifier({ llm: integrations.llm, model: integrations.llm.models.classifier }),
      knownProjects: async () => ["mobile"],
      timeZone: "UTC",
      failureSentence: modelFailureSentence,
      logger,
    });
  });
  afterEach(() => anthropic.respondWith(() => [{ type: "text", text: "unscripted" }]));
  afterAll(async () => {
    await integrations?.close();
    await anthropic?.close();
  });

  const resolve = () => resolver.resolve({ message: normalizeSlackText(TEXT), slash: false, history: [{ role: "user", text: "earlier question" }, { role: "assistant", text: "earlier answer" }] });

  it("routes by the model's scripted classification, with the thread's turns sent as context", async () => {
    anthropic.respondWith(() => [{ type: "tool_use", name: "classify_intent", input: { category: "STATUS", action: "blockers", confidence: 0.92, compound: false, entities: { projects: ["mobile"] } } }]);
    const { intent, modelFailure } = await resolve();
    expect(modelFailure).toBeUndefined();
    expect(intent).toMatchObject({ category: "STATUS", action: "blockers", source: "llm", entities: { projects: ["mobile"] } });
    expect(terminalFor(intent)).toBe("canonical");
    const sent = JSON.stringify(anthropic.requests.at(-1)!.body);
    expect(sent).toContain("earlier question");
    expect(sent).toContain("earlier answer");
    expect(sent).toContain(integrations.llm.models.classifier);
  });

  const failures: Array<[string, () => void, RegExp]> = [
    ["a refused key", () => anthropic.failNext(1, 401, "authentication_error", "invalid x-api-key"), /model key was refused/],
    ["a rate limit, with its wait", () => anthropic.rateLimitNext(20, 1), /rate-limited for about 20 seconds/],
    ["an overloaded model", () => anthropic.overloadedNext(2), /overloaded/],
    ["a server error", () => anthropic.failNext(2, 500, "api_error"), /couldn't get an answer from the model/],
    ["malformed tool output", () => anthropic.respondWith(() => [{ type: "tool_use", name: "classify_intent", input: { category: "NOT_A_CATEGORY", confidence: "high" } }]), /answer I couldn't use/],
  ];
  for (const [name, arrange, sentence] of failures) {
    it(`${name}: says so in its own sentence and routes with the local classifier`, async () => {
      arrange();
      const before = anthropic.requests.length;
      const { intent, modelFailure } = await resolve();
      // Every scripted failure was used up (so none leaks into the next case): 429 with a long wait is
      // not retried, 5xx and 529 are retried once by the SDK.
      expect(anthropic.requests.length - before).toBe(name.includes("rate") || name.includes("key") || name.includes("malformed") ? 1 : 2);
      expect(modelFailure).toMatch(sentence);
      expect(modelFailure).not.toMatch(/sk-ant|http|\b\d{3}\b/);
      expect(intent.source).toBe("local");
      expect(intent).toMatchObject(resolver.classifyLocally(normalizeSlackText(TEXT).text, { ...noEntities(), projects: ["mobile"] }));
    });
  }

  it("the floor's request holds the last 6 turns, the context block and the no-fabrication rule", async () => {
    anthropic.respondWith(() => [{ type: "text", text: "I'm Piper." }]);
    const assembler = new ContextAssembler({ prisma: undefined as unknown as PrismaClient, storageDescription: "the test database", modelConfigured: () => true });
    const floor = new ConversationalFloor({ assembler, model: { configured: true, streamText: (input, signal) => integrations.llm.streamText(input, signal) }, logger, failureSentence: modelFailureSentence });
    const history = Array.from({ length: 8 }, (_, i) => ({ ts: `50.${i + 10}`, fromPiper: i % 2 === 1, text: `turn number ${i}` }));
    const inbound: Inbound = { id: "Ev1", source: "mention", territory: "T1", room: { id: "C1", kind: "channel" }, threadTs: "50.0", ts: "99.0", user: "U1", text: "who are you?", history };
    const result = await floor.answer({ intent: { category: "IDENTITY", action: "who_are_you", confidence: 1, entities: noEntities(), source: "pre" }, inbound, text: "who are you?", signal: new AbortController().signal });
    expect(result.kind).toBe("stream");
    let text = "";
    if (result.kind === "stream") for await (const chunk of result.chunks) text += chunk;
    expect(text).toBe("I'm Piper.");
    const body = anthropic.requests.at(-1)!.body as { model: string; system: string; messages: Array<{ content: string }>; stream: boolean };
    expect(body.stream).toBe(true);
    expect(body.model).toBe(integrations.llm.models.conversation);
    expect(body.system).toContain(NO_FABRICATION_RULE);
    expect(body.system).toMatch(/<domain_context>[\s\S]*What I can do today[\s\S]*<\/domain_context>/);
    const said = body.messages.map((m) => m.content).join("\n");
    for (let i = 2; i < 8; i++) expect(said).toContain(`turn number ${i}`);
    expect(said).not.toContain("turn number 1");
  });
});
