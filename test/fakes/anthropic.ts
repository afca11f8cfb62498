// An Anthropic Messages API fake for the real SDK. Replies are scripted by the test — it never pretends to think.
import { randomUUID } from "node:crypto";
import { startFakeServer, type FakeRequest, type FakeServer } from "./fake-server.js";

export type ScriptedContent = Array<{ type: "text"; text: string } | { type: "tool_use"; name: string; input: unknown }>;
export type Responder = (request: { model: string; system?: unknown; messages: unknown[]; tools?: unknown[] }) => ScriptedContent;

export interface AnthropicFake extends FakeServer {
  apiKey: string;
  /** Sets how /v1/messages answers; default: an error saying nothing was scripted. */
  respondWith(responder: Responder): void;
  rateLimitNext(retryAfterSeconds: number, times?: number): void;
  overloadedNext(times?: number, retryAfterSeconds?: number): void;
  failNext(times: number, status: number, type: string, message?: string): void;
}

const errorBody = (type: string, message: string) => ({ type: "error", error: { type, message }, request_id: `req_${randomUUID().replaceAll("-", "")}` });

export async function startAnthropicFake(options: { apiKey?: string; port?: number } = {}): Promise<AnthropicFake> {
  const apiKey = options.apiKey ?? "sk-ant-fake-key";
  let responder: Responder | undefined;
  const server = await startFakeServer([
    [
      "POST",
      /^\/v1\/messages$/,
      (req: FakeRequest) => {
        // The API takes the key as x-api-key or as a bearer token (what SDK 1.x sends).
        if (req.headers["x-api-key"] !== apiKey && req.headers.authorization !== `Bearer ${apiKey}`) return { status: 401, body: errorBody("authentication_error", "invalid x-api-key") };
        const body = req.body as { model?: string; max_tokens?: number; messages?: unknown[]; system?: unknown; tools?: unknown[] };
        if (!body?.model || !body.max_tokens || !Array.isArray(body.messages)) return { status: 400, body: errorBody("invalid_request_error", "model, max_tokens and messages are required") };
        if (!responder) return { status: 500, body: errorBody("api_error", "the fake has no scripted response for this test") };
        const content = responder({ model: body.model, system: body.system, messages: body.messages, tools: body.tools }).map((c) =>
          c.type === "tool_use" ? { type: "tool_use", id: `toolu_${randomUUID().replaceAll("-", "").slice(0, 24)}`, name: c.name, input: c.input } : c,
        );
        return {
          status: 200,
          headers: { "request-id": `req_${randomUUID().replaceAll("-", "")}` },
          body: {
            id: `msg_${randomUUID().replaceAll("-", "").slice(0, 24)}`, type: "message", role: "assistant", model: body.model, content,
            stop_reason: content.some((c) => c.type === "tool_use") ? "tool_use" : "end_turn", stop_sequence: null,
            usage: { input_tokens: JSON.stringify(body.messages).length, output_tokens: JSON.stringify(content).length, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
          },
        };
      },
    ],
  ], { port: options.port });
  return Object.assign(server, {
    apiKey,
    respondWith: (r: Responder) => void (responder = r),
    rateLimitNext(retryAfterSeconds: number, times = 1) {
      server.push(() => ({ status: 429, body: errorBody("rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit"), headers: { "retry-after": String(retryAfterSeconds) } }), times);
    },
    overloadedNext(times = 1, retryAfterSeconds?: number) {
      server.push(() => ({ status: 529, body: errorBody("overloaded_error", "Overloaded"), headers: retryAfterSeconds ? { "retry-after": String(retryAfterSeconds) } : ({} as Record<string, string>) }), times);
    },
    failNext(times: number, status: number, type: string, message = "Internal server error") {
      server.push(() => ({ status, body: errorBody(type, message) }), times);
    },
  });
}
