// The language model through @anthropic-ai/sdk: SDK retries honour retry-after (briefly), errors classified for users.
import Anthropic, { APIConnectionTimeoutError, APIError, APIUserAbortError, AuthenticationError, BadRequestError, NotFoundError, PermissionDeniedError, RateLimitError } from "@anthropic-ai/sdk";
import type { Message, MessageParam, Tool, ToolChoice } from "@anthropic-ai/sdk/resources/messages.js";
import { AuthenticationFailed, InvalidRequest, isIntegrationError, NotConfigured, RateLimited, retryAfterSeconds, ServiceUnavailable, TimedOut, type ServiceName } from "./errors.js";
import type { ServicePolicy } from "./policy.js";
import { retryBudgetFetch } from "./retry-budget.js";

export interface LlmClientOptions {
  apiKey?: string;
  baseUrl?: string;
  /** The conversation model: what a call uses unless it names another. */
  model: string;
  /** The fast model intent classification uses; defaults to `model`. */
  classifierModel?: string;
  timeoutMs: number;
  policy: ServicePolicy;
}

export interface CreateMessageInput {
  system?: string;
  messages: MessageParam[];
  tools?: Tool[];
  /** Passed through: `{ type: "tool", name }` forces one tool (structured output). */
  toolChoice?: ToolChoice;
  maxTokens?: number;
  /** Default: the conversation model. */
  model?: string;
  temperature?: number;
}

/**
 * The model is overloaded (HTTP 529, or an `overloaded_error` event mid-stream). Still a
 * ServiceUnavailable — it counts toward the breaker and reads the same to code that only knows
 * that class — but callers that can say "overloaded" rather than "unavailable" can tell it apart.
 */
export class ServiceOverloaded extends ServiceUnavailable {
  readonly overloaded = true;
  constructor(service: ServiceName, retryInSeconds?: number, options?: { cause?: unknown }) {
    super(service, "overloaded", retryInSeconds, options);
  }
}

export class LlmClient {
  readonly #client: Anthropic | undefined;

  constructor(private readonly options: LlmClientOptions) {
    this.#client = options.apiKey
      ? new Anthropic({
          apiKey: options.apiKey,
          baseURL: options.baseUrl,
          timeout: options.timeoutMs,
          // The SDK retries 429/529/5xx honouring retry-after; the wrapper stops it when the wait is long.
          maxRetries: 1,
          fetch: retryBudgetFetch("llm", 5, "no-retry-header"),
        })
      : undefined;
  }

  get configured(): boolean {
    return this.#client !== undefined;
  }

  /** The models calls use: `conversation` by default, `classifier` for intent classification. */
  get models(): { conversation: string; classifier: string } {
    return { conversation: this.options.model, classifier: this.options.classifierModel ?? this.options.model };
  }

  async createMessage(input: CreateMessageInput, callerSignal?: AbortSignal): Promise<Message> {
    const client = this.#client;
    if (!client) throw new NotConfigured("llm");
    return this.options.policy.execute(async (signal) => {
      try {
        return await client.messages.create(this.#params(input), { signal: callerSignal ? AbortSignal.any([signal, callerSignal]) : signal });
      } catch (err) {
        // The caller gave up: its reason, not an outage (the breaker does not count it).
        if (callerSignal?.aborted) throw callerSignal.reason;
        throw toLlmError(err, this.options.timeoutMs);
      }
    }, "createMessage");
  }

  /**
   * The text of a streamed reply, delta by delta. The breaker sees only the connection phase: a
   * request that fails to start (5xx, timeout before the first byte) counts toward it and is
   * thrown from the first `next()`. Once the stream has started, a failure ends the iterable with
   * the classified error thrown, uncounted — the service did answer. Aborting `signal` ends it with
   * the signal's reason.
   */
  async *streamText(input: CreateMessageInput, signal?: AbortSignal): AsyncGenerator<string, void, undefined> {
    const client = this.#client;
    if (!client) throw new NotConfigured("llm");
    signal?.throwIfAborted();
    // The policy aborts its signal when the call it wraps returns (cockatiel's abortOnReturn), which
    // here is the moment the stream starts. So the request gets its own controller, tied to the
    // policy's signal only while connecting and to the caller's for the whole stream.
    const request = new AbortController();
    const abortRequest = () => request.abort(signal?.reason);
    signal?.addEventListener("abort", abortRequest, { once: true });
    try {
      const stream = await this.options.policy.execute(async (policySignal) => {
        const onPolicyAbort = () => request.abort(policySignal.reason);
        policySignal.addEventListener("abort", onPolicyAbort, { once: true });
        try {
          return await client.messages.create({ ...this.#params(input), stream: true }, { signal: request.signal });
        } catch (err) {
          if (signal?.aborted) throw signal.reason;
          throw toLlmError(err, this.options.timeoutMs);
        } finally {
          policySignal.removeEventListener("abort", onPolicyAbort);
        }
      }, "streamText");
      try {
        for await (const event of stream) {
          // Events already buffered keep arriving after an abort; none of them is wanted.
          if (signal?.aborted) break;
          if (event.type === "content_block_delta" && event.delta.type === "text_delta" && event.delta.text) yield event.delta.text;
        }
      } catch (err) {
        throw toLlmError(err, this.options.timeoutMs);
      }
      // The SDK ends an aborted stream quietly; a cut-off answer must not look like a whole one.
      signal?.throwIfAborted();
    } finally {
      signal?.removeEventListener("abort", abortRequest);
      // A consumer that stops early (break, return) closes the connection.
      request.abort();
    }
  }

  #params(input: CreateMessageInput) {
    return {
      model: input.model ?? this.options.model,
      max_tokens: input.maxTokens ?? 1024,
      system: input.system,
      messages: input.messages,
      tools: input.tools,
      tool_choice: input.toolChoice,
      temperature: input.temperature,
    };
  }
}

/** Auth/config problems, transient trouble and bad requests each get their own sentence. */
export function toLlmError(err: unknown, timeoutMs: number): Error {
  if (isIntegrationError(err)) return err;
  // Piper's own abort (a timeout or a caller giving up) says nothing about the service.
  if (err instanceof APIUserAbortError) return err;
  if (err instanceof APIConnectionTimeoutError) return new TimedOut("llm", timeoutMs, { cause: err });
  if (err instanceof AuthenticationError || err instanceof PermissionDeniedError) return new AuthenticationFailed("llm", { cause: err });
  if (err instanceof RateLimitError) return new RateLimited("llm", retryAfterSeconds(err.headers?.get("retry-after")) ?? 1, { cause: err });
  if (err instanceof BadRequestError || err instanceof NotFoundError) return new InvalidRequest("llm", safeMessage(err), { cause: err });
  if (err instanceof APIError) {
    // 529, or the same error arriving as an `error` event once a stream has started (no status then).
    if (err.status === 529 || err.type === "overloaded_error") return new ServiceOverloaded("llm", retryAfterSeconds(err.headers?.get("retry-after")), { cause: err });
    return new ServiceUnavailable("llm", err.status ? `HTTP ${err.status}` : err.type ? `stream error (${err.type})` : "connection failed", undefined, { cause: err });
  }
  return new ServiceUnavailable("llm", (err as Error)?.message ?? "unknown error", undefined, { cause: err });
}

function safeMessage(err: APIError): string {
  const body = err.error as { error?: { message?: string } } | undefined;
  return body?.error?.message ?? "the request was not valid";
}
