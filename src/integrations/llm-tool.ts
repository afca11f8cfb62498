// Structured output from the model: one forced tool call at temperature 0, its input validated. What every workflow that
// asks the model for data (a draft, a summary, a read) does the same way.
import type { Tool } from "@anthropic-ai/sdk/resources/messages.js";
import type { z } from "zod";
import type { LlmClient } from "./llm.js";

export interface ToolCallInput<S extends z.ZodType> {
  system: string;
  /** The one user message: the quoted data the model works from. */
  content: string;
  tool: Tool;
  /** The tool input's shape; anything else counts as no answer. */
  schema: S;
  maxTokens: number;
}

/** The first call of `tool` in the model's answer, validated; undefined when the model gave none of that shape. */
export async function forcedToolCall<S extends z.ZodType>(llm: Pick<LlmClient, "createMessage">, input: ToolCallInput<S>, signal?: AbortSignal): Promise<z.infer<S> | undefined> {
  const message = await llm.createMessage(
    {
      system: input.system,
      messages: [{ role: "user", content: input.content }],
      tools: [input.tool],
      toolChoice: { type: "tool", name: input.tool.name },
      temperature: 0,
      maxTokens: input.maxTokens,
    },
    signal,
  );
  const call = message.content.find((c) => c.type === "tool_use" && c.name === input.tool.name);
  const parsed = input.schema.safeParse(call && "input" in call ? call.input : undefined);
  return parsed.success ? parsed.data : undefined;
}
