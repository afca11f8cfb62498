import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LlmClassifier } from "../../src/routing/llm-classifier.js";
import { classifyLlmFailure, MalformedModelOutput, type LlmFailure } from "../../src/routing/llm-failures.js";
import { startAnthropicFake, type AnthropicFake } from "../fakes/anthropic.js";
import { integrationsAgainst } from "../support/integrations.js";

const input = { text: "what's blocking mobile?", history: [], knownProjects: ["Mobile"] };

describe("LLM failures, each with its own sentence (real SDK, Anthropic fake)", () => {
  let anthropic: AnthropicFake;
  const failures: LlmFailure[] = [];
  // A fresh client (and breaker) per case, with a half-open wait long enough that an open breaker stays open on a slow machine.
  const classifierFor = async (apiKey?: string) => {
    const fakes = apiKey === undefined ? {} : { anthropic: { url: anthropic.url, apiKey } };
    const { integrations } = await integrationsAgainst(fakes, { ANTHROPIC_BASE_URL: anthropic.url, PIPER_BREAKER_HALF_OPEN_MS: "600000" });
    return { integrations, classifier: new LlmClassifier({ llm: integrations.llm, model: integrations.llm.models.classifier }) };
  };
  const failureOf = async (classifier: LlmClassifier) => {
    const err = await classifier.classify(input).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeDefined();
    const failure = classifyLlmFailure(err);
    failures.push(failure);
    return failure;
  };
  beforeAll(async () => {
    anthropic = await startAnthropicFake({ apiKey: "sk-ant-the-real-one-0123456789" });
    anthropic.respondWith(() => [{ type: "tool_use", name: "classify_intent", input: { category: "STATUS", action: "blockers", confidence: 0.9, compound: false } }]);
  });
  afterAll(async () => {
    // No sentence ever carries a key, a URL or an HTTP status.
    for (const f of failures) {
      expect(f.sentence).not.toMatch(/sk-ant|127\.0\.0\.1|http|\b[45]\d\d\b/);
    }
    await anthropic?.close();
  });

  it("a refused key (401) is auth", async () => {
    const { classifier } = await classifierFor("sk-ant-wrong-key");
    expect(await failureOf(classifier)).toEqual({
      kind: "auth",
      sentence: "My model key was refused, so I'm answering without the model — whoever runs Piper should check ANTHROPIC_API_KEY.",
    });
  });

  it("no key is not_configured, and nothing is sent", async () => {
    const { classifier } = await classifierFor(undefined);
    const before = anthropic.calls.length;
    const failure = await failureOf(classifier);
    expect(failure.kind).toBe("not_configured");
    expect(failure.sentence).toContain("ANTHROPIC_API_KEY");
    expect(anthropic.calls.length).toBe(before);
  });

  it("a 429 with a long retry-after is rate_limited with the wait (and not retried by the SDK)", async () => {
    const { classifier } = await classifierFor(anthropic.apiKey);
    anthropic.rateLimitNext(20);
    const before = anthropic.calls.length;
    expect(await failureOf(classifier)).toEqual({ kind: "rate_limited", sentence: "The model is rate-limited for about 20 seconds, so I'm answering without it for now.", retryAfterSeconds: 20 });
    expect(anthropic.calls.length - before).toBe(1);
  });

  it("a 529 is overloaded", async () => {
    const { classifier } = await classifierFor(anthropic.apiKey);
    anthropic.overloadedNext(2);
    const failure = await failureOf(classifier);
    expect(failure.kind).toBe("overloaded");
    expect(failure.sentence).toContain("overloaded");
  });

  it("a 500 is transient", async () => {
    const { classifier } = await classifierFor(anthropic.apiKey);
    anthropic.failNext(2, 500, "api_error");
    expect(await failureOf(classifier)).toMatchObject({ kind: "transient" });
  });

  it("an unknown model (404) is not_configured and names the model variables", async () => {
    const { classifier } = await classifierFor(anthropic.apiKey);
    anthropic.failNext(1, 404, "not_found_error", "model: claude-nope");
    const failure = await failureOf(classifier);
    expect(failure.kind).toBe("not_configured");
    expect(failure.sentence).toContain("ANTHROPIC_CLASSIFIER_MODEL");
    expect(failure.sentence).not.toContain("claude-nope");
  });

  it("an open breaker is transient with when it will try again", async () => {
    const { classifier, integrations } = await classifierFor(anthropic.apiKey);
    // integrationsAgainst opens a breaker after 3 consecutive failures, as createIntegrations builds it.
    for (let i = 0; i < 3; i++) {
      anthropic.failNext(2, 503, "api_error");
      expect((await failureOf(classifier)).kind).toBe("transient");
    }
    expect(integrations.registry.list().find((b) => b.name === "llm")!.state).toBe("open");
    const before = anthropic.calls.length;
    const failure = await failureOf(classifier);
    expect(anthropic.calls.length).toBe(before);
    expect(failure.kind).toBe("transient");
    expect(failure.retryAfterSeconds).toBeGreaterThan(0);
    expect(failure.sentence).toContain("giving it a rest");
  });

  it("malformed output is malformed; an unforeseen error is transient", async () => {
    expect(classifyLlmFailure(new MalformedModelOutput("category: invalid"))).toEqual({ kind: "malformed", sentence: "The model gave me an answer I couldn't use, so I'm answering without it." });
    expect(classifyLlmFailure(new TypeError("x is undefined")).kind).toBe("transient");
  });

  it("every kind has its own sentence", () => {
    const byKind = new Map<string, Set<string>>();
    for (const f of failures) byKind.set(f.kind, (byKind.get(f.kind) ?? new Set()).add(f.sentence));
    const sentences = [...byKind.values()].map((s) => [...s][0]!);
    expect(new Set(sentences).size).toBe(sentences.length);
  });
});
