import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ServiceUnavailable } from "../../src/integrations/errors.js";
import type { Integrations } from "../../src/integrations/index.js";
import { ServiceOverloaded } from "../../src/integrations/llm.js";
import { startAnthropicFake, type AnthropicFake } from "../fakes/anthropic.js";
import { integrationsAgainst } from "../support/integrations.js";

const TEXT = "Mobile is on track: two issues closed yesterday, one blocker left on the release branch.";

async function collect(iterable: AsyncIterable<string>): Promise<{ deltas: string[]; error?: unknown }> {
  const deltas: string[] = [];
  try {
    for await (const delta of iterable) deltas.push(delta);
    return { deltas };
  } catch (error) {
    return { deltas, error };
  }
}

const llmBreaker = (integrations: Integrations) => integrations.registry.list().find((b) => b.name === "llm")!;

describe("streaming text from the language model", () => {
  let anthropic: AnthropicFake;
  // A fresh client (and breaker) per test; the half-open wait is long so an open breaker stays open however slow the machine.
  const fresh = async () => (await integrationsAgainst({ anthropic }, { ANTHROPIC_MODEL: "claude-test-model", PIPER_BREAKER_HALF_OPEN_MS: "600000" })).integrations;
  beforeAll(async () => {
    anthropic = await startAnthropicFake();
    anthropic.respondWith(() => [{ type: "text", text: TEXT }]);
  });
  afterAll(async () => anthropic?.close());

  it("yields the scripted text in several deltas, from a stream: true request", async () => {
    const integrations = await fresh();
    const before = anthropic.requests.length;
    const { deltas, error } = await collect(integrations.llm.streamText({ system: "You are Piper.", messages: [{ role: "user", content: "how is mobile?" }], temperature: 0.3 }));
    expect(error).toBeUndefined();
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join("")).toBe(TEXT);
    const sent = anthropic.requests.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toMatchObject({ stream: true, model: "claude-test-model", system: "You are Piper.", temperature: 0.3, messages: [{ role: "user", content: "how is mobile?" }] });
    expect(llmBreaker(integrations)).toMatchObject({ state: "closed", consecutiveFailures: 0 });
  });

  it("a per-call model replaces the conversation model", async () => {
    const integrations = await fresh();
    await collect(integrations.llm.streamText({ model: "claude-other", messages: [{ role: "user", content: "hi" }] }));
    expect(anthropic.requests.at(-1)!.body.model).toBe("claude-other");
  });

  it("a 5xx before the stream starts is thrown classified and counts toward the breaker", async () => {
    const integrations = await fresh();
    // The SDK retries once; both attempts fail.
    anthropic.failNext(2, 500, "api_error");
    const { deltas, error } = await collect(integrations.llm.streamText({ messages: [{ role: "user", content: "hi" }] }));
    expect(deltas).toEqual([]);
    expect(error).toBeInstanceOf(ServiceUnavailable);
    expect((error as ServiceUnavailable).message).toContain("HTTP 500");
    expect(llmBreaker(integrations).consecutiveFailures).toBe(1);
  });

  it("a 529 before the stream starts is ServiceOverloaded", async () => {
    const integrations = await fresh();
    anthropic.overloadedNext(2);
    const { error } = await collect(integrations.llm.streamText({ messages: [{ role: "user", content: "hi" }] }));
    expect(error).toBeInstanceOf(ServiceOverloaded);
    expect(error).toBeInstanceOf(ServiceUnavailable);
  });

  it("an error event mid-stream ends the iterable with the classified error, after the text so far, without counting", async () => {
    const integrations = await fresh();
    anthropic.failStreamAfter(1, "overloaded_error");
    const { deltas, error } = await collect(integrations.llm.streamText({ messages: [{ role: "user", content: "hi" }] }));
    expect(deltas).toHaveLength(1);
    expect(TEXT.startsWith(deltas[0]!)).toBe(true);
    expect(error).toBeInstanceOf(ServiceOverloaded);
    expect(llmBreaker(integrations).consecutiveFailures).toBe(0);
  });

  it("a caller that aborts mid-stream gets its reason, not a quietly shortened answer", async () => {
    const integrations = await fresh();
    const controller = new AbortController();
    const reason = new Error("deadline");
    const deltas: string[] = [];
    const error = await (async () => {
      for await (const delta of integrations.llm.streamText({ messages: [{ role: "user", content: "hi" }] }, controller.signal)) {
        deltas.push(delta);
        controller.abort(reason);
      }
    })().catch((e: unknown) => e);
    expect(deltas).toHaveLength(1);
    expect(error).toBe(reason);
    expect(llmBreaker(integrations).consecutiveFailures).toBe(0);
  });

  it("repeated 5xx open the llm breaker; then a stream is refused without a request", async () => {
    const integrations = await fresh();
    for (let i = 0; i < 3; i++) {
      anthropic.failNext(2, 503, "api_error");
      const { error } = await collect(integrations.llm.streamText({ messages: [{ role: "user", content: "hi" }] }));
      expect(error).toBeInstanceOf(ServiceUnavailable);
    }
    expect(llmBreaker(integrations).state).toBe("open");
    const before = anthropic.calls.length;
    const { error } = await collect(integrations.llm.streamText({ messages: [{ role: "user", content: "hi" }] }));
    expect(error).toBeInstanceOf(ServiceUnavailable);
    expect((error as ServiceUnavailable).message).toContain("breaker open");
    expect(anthropic.calls.length).toBe(before);
  });
});
