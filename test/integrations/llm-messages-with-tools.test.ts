import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Integrations } from "../../src/integrations/index.js";
import { startAnthropicFake, type AnthropicFake } from "../fakes/anthropic.js";
import { integrationsAgainst } from "../support/integrations.js";

describe("the language model client", () => {
  let anthropic: AnthropicFake;
  let integrations: Integrations;
  beforeAll(async () => {
    anthropic = await startAnthropicFake();
    ({ integrations } = await integrationsAgainst({ anthropic }, { ANTHROPIC_MODEL: "claude-test-model" }));
  });
  afterAll(async () => anthropic?.close());

  it("sends the system prompt, messages and tools, and returns typed tool_use content", async () => {
    let received: { model: string; system?: unknown; messages: unknown[]; tools?: unknown[] } | undefined;
    anthropic.respondWith((req) => {
      received = req;
      return [{ type: "tool_use", name: "classify", input: { category: "STATUS", confidence: 0.9 } }];
    });
    const tools = [{ name: "classify", description: "Classify the message", input_schema: { type: "object" as const, properties: { category: { type: "string" } } } }];
    const message = await integrations.llm.createMessage({ system: "You route messages.", messages: [{ role: "user", content: "standup please" }], tools, maxTokens: 200 });
    expect(received).toMatchObject({ model: "claude-test-model", system: "You route messages.", messages: [{ role: "user", content: "standup please" }], tools });
    expect(message.stop_reason).toBe("tool_use");
    const block = message.content[0]!;
    expect(block.type).toBe("tool_use");
    if (block.type === "tool_use") expect(block.input).toEqual({ category: "STATUS", confidence: 0.9 });
  });

  it("a 5xx that outlasts the SDK's one retry counts toward the llm breaker", async () => {
    anthropic.failNext(2, 500, "api_error");
    await expect(integrations.llm.createMessage({ messages: [{ role: "user", content: "hi" }] })).rejects.toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    expect(integrations.registry.list().find((b) => b.name === "llm")!.consecutiveFailures).toBe(1);
  });
});
