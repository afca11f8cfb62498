// An Anthropic Messages API fake for the real SDK. Replies are scripted by the test — it never pretends to think.
import { randomUUID } from "node:crypto";
import { startFakeServer, type FakeRequest, type FakeServer } from "./fake-server.js";

export type ScriptedContent = Array<{ type: "text"; text: string } | { type: "tool_use"; name: string; input: unknown }>;
export type Responder = (request: { model: string; system?: unknown; messages: unknown[]; tools?: unknown[]; stream: boolean }) => ScriptedContent;

export interface AnthropicFake extends FakeServer {
  apiKey: string;
  /** The body of every request to /v1/messages, in order — including those a knob answered. */
  readonly requests: Array<{ body: Record<string, unknown> }>;
  /** Sets how /v1/messages answers; default: an error saying nothing was scripted. */
  respondWith(responder: Responder): void;
  rateLimitNext(retryAfterSeconds: number, times?: number): void;
  overloadedNext(times?: number, retryAfterSeconds?: number): void;
  failNext(times: number, status: number, type: string, message?: string): void;
  /** The next streamed answer starts (200, message_start) and then fails with an `error` event after `afterDeltas` text deltas. */
  failStreamAfter(afterDeltas: number, type?: string, message?: string): void;
}

const errorBody = (type: string, message: string) => ({ type: "error", error: { type, message }, request_id: `req_${randomUUID().replaceAll("-", "")}` });
const id = (prefix: string, length = 24) => `${prefix}_${randomUUID().replaceAll("-", "").slice(0, length)}`;

/** Splits text into (up to) three deltas at word boundaries, as the API streams a few tokens at a time. */
export function splitIntoDeltas(text: string, parts = 3): string[] {
  const words = text.split(/(?<=\s)/);
  if (words.length < parts) return [text];
  const size = Math.ceil(words.length / parts);
  const deltas: string[] = [];
  for (let i = 0; i < words.length; i += size) deltas.push(words.slice(i, i + size).join(""));
  return deltas;
}

const sse = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/** The Messages API's server-sent events for `content`, optionally cut off by an `error` event after `failAfter` deltas. */
function streamEvents(model: string, content: Array<Record<string, unknown>>, inputTokens: number, failure?: { afterDeltas: number; type: string; message: string }): string[] {
  const events: string[] = [];
  let deltas = 0;
  const fail = () => events.push(sse("error", errorBody(failure!.type, failure!.message)));
  events.push(sse("message_start", {
    type: "message_start",
    message: { id: id("msg"), type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: inputTokens, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 } },
  }));
  if (failure && failure.afterDeltas === 0) return (fail(), events);
  for (const [index, block] of content.entries()) {
    if (block.type === "tool_use") {
      events.push(sse("content_block_start", { type: "content_block_start", index, content_block: { ...block, input: {} } }));
      events.push(sse("content_block_delta", { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: JSON.stringify(block.input) } }));
    } else {
      events.push(sse("content_block_start", { type: "content_block_start", index, content_block: { type: "text", text: "" } }));
      for (const text of splitIntoDeltas(String(block.text))) {
        events.push(sse("content_block_delta", { type: "content_block_delta", index, delta: { type: "text_delta", text } }));
        if (failure && ++deltas === failure.afterDeltas) return (fail(), events);
      }
    }
    events.push(sse("content_block_stop", { type: "content_block_stop", index }));
  }
  const stopReason = content.some((c) => c.type === "tool_use") ? "tool_use" : "end_turn";
  events.push(sse("message_delta", { type: "message_delta", delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: JSON.stringify(content).length } }));
  events.push(sse("message_stop", { type: "message_stop" }));
  return events;
}

export async function startAnthropicFake(options: { apiKey?: string; port?: number } = {}): Promise<AnthropicFake> {
  const apiKey = options.apiKey ?? "sk-ant-fake-key";
  let responder: Responder | undefined;
  const streamFailures: Array<{ afterDeltas: number; type: string; message: string }> = [];
  const server = await startFakeServer([
    [
      "POST",
      /^\/v1\/messages$/,
      (req: FakeRequest) => {
        // The API takes the key as x-api-key or as a bearer token (what SDK 1.x sends).
        if (req.headers["x-api-key"] !== apiKey && req.headers.authorization !== `Bearer ${apiKey}`) return { status: 401, body: errorBody("authentication_error", "invalid x-api-key") };
        const body = req.body as { model?: string; max_tokens?: number; messages?: unknown[]; system?: unknown; tools?: unknown[]; stream?: boolean };
        if (!body?.model || !body.max_tokens || !Array.isArray(body.messages)) return { status: 400, body: errorBody("invalid_request_error", "model, max_tokens and messages are required") };
        if (!responder) return { status: 500, body: errorBody("api_error", "the fake has no scripted response for this test") };
        const stream = body.stream === true;
        const content = responder({ model: body.model, system: body.system, messages: body.messages, tools: body.tools, stream }).map((c) =>
          c.type === "tool_use" ? { type: "tool_use", id: id("toolu"), name: c.name, input: c.input } : c,
        );
        const inputTokens = JSON.stringify(body.messages).length;
        const requestId = { "request-id": `req_${randomUUID().replaceAll("-", "")}` };
        if (stream) {
          return { status: 200, headers: { ...requestId, "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" }, raw: streamEvents(body.model, content, inputTokens, streamFailures.shift()) };
        }
        return {
          status: 200,
          headers: requestId,
          body: {
            id: id("msg"), type: "message", role: "assistant", model: body.model, content,
            stop_reason: content.some((c) => c.type === "tool_use") ? "tool_use" : "end_turn", stop_sequence: null,
            usage: { input_tokens: inputTokens, output_tokens: JSON.stringify(content).length, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
          },
        };
      },
    ],
  ], { port: options.port });
  const fake = Object.assign(server, {
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
    failStreamAfter(afterDeltas: number, type = "overloaded_error", message = "Overloaded") {
      streamFailures.push({ afterDeltas, type, message });
    },
  });
  // Derived from the call log, so requests a knob answered (and never reached the route) are there too.
  Object.defineProperty(fake, "requests", {
    enumerable: true,
    get: () => server.calls.filter((c) => c.method === "POST" && c.path === "/v1/messages").map((c) => ({ body: c.body as Record<string, unknown> })),
  });
  return fake as AnthropicFake;
}
