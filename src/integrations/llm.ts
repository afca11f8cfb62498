// The language model through @anthropic-ai/sdk: SDK retries honour retry-after (briefly), errors classified for users.
import Anthropic, { APIConnectionTimeoutError, APIError, AuthenticationError, BadRequestError, NotFoundError, PermissionDeniedError, RateLimitError } from "@anthropic-ai/sdk";
import type { Message, MessageParam, Tool } from "@anthropic-ai/sdk/resources/messages.js";
import { AuthenticationFailed, InvalidRequest, isIntegrationError, NotConfigured, RateLimited, retryAfterSeconds, ServiceUnavailable, TimedOut } from "./errors.js";
import type { ServicePolicy } from "./policy.js";
import { retryBudgetFetch } from "./retry-budget.js";

export interface LlmClientOptions { apiKey?: string; baseUrl?: string; model: string; timeoutMs: number; policy: ServicePolicy }

export interface CreateMessageInput {
  system?: string;
  messages: MessageParam[];
  tools?: Tool[];
  maxTokens?: number;
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

  async createMessage(input: CreateMessageInput): Promise<Message> {
    const client = this.#client;
    if (!client) throw new NotConfigured("llm");
    return this.options.policy.execute(async (signal) => {
      try {
        return await client.messages.create(
          { model: this.options.model, max_tokens: input.maxTokens ?? 1024, system: input.system, messages: input.messages, tools: input.tools },
          { signal },
        );
      } catch (err) {
        throw toLlmError(err, this.options.timeoutMs);
      }
    }, "createMessage");
  }
}

/** Auth/config problems, transient trouble and bad requests each get their own sentence. */
export function toLlmError(err: unknown, timeoutMs: number): Error {
  if (isIntegrationError(err)) return err;
  if (err instanceof APIConnectionTimeoutError) return new TimedOut("llm", timeoutMs, { cause: err });
  if (err instanceof AuthenticationError || err instanceof PermissionDeniedError) return new AuthenticationFailed("llm", { cause: err });
  if (err instanceof RateLimitError) return new RateLimited("llm", retryAfterSeconds(err.headers?.get("retry-after")) ?? 1, { cause: err });
  if (err instanceof BadRequestError || err instanceof NotFoundError) return new InvalidRequest("llm", safeMessage(err), { cause: err });
  if (err instanceof APIError) {
    const wait = err.status === 529 ? retryAfterSeconds(err.headers?.get("retry-after")) : undefined;
    return new ServiceUnavailable("llm", err.status ? `HTTP ${err.status}` : "connection failed", wait, { cause: err });
  }
  return new ServiceUnavailable("llm", (err as Error)?.message ?? "unknown error", undefined, { cause: err });
}

function safeMessage(err: APIError): string {
  const body = err.error as { error?: { message?: string } } | undefined;
  return body?.error?.message ?? "the request was not valid";
}
