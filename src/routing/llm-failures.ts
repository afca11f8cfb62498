// Why the language model could not help, as one of a few kinds the router acts on, each with its own sentence for the user.
import { NotFoundError } from "@anthropic-ai/sdk";
import { BrokenCircuitError } from "cockatiel";
import { AuthenticationFailed, humanSeconds, IntegrationError, InvalidRequest, NotConfigured, PermissionDenied, RateLimited, ServiceUnavailable } from "../integrations/errors.js";
import { ServiceOverloaded } from "../integrations/llm.js";

/** The model answered, but not in the shape asked for (no tool call, wrong fields, an unknown category). */
export class MalformedModelOutput extends IntegrationError {
  readonly code = "MALFORMED_MODEL_OUTPUT";
  // The service is up and answering; a bad answer is not an outage.
  readonly countsAsServiceFailure = false;
  readonly userMessage = MALFORMED;
  constructor(detail: string, options?: { cause?: unknown }) {
    super("llm", `model output did not fit: ${detail}`, options);
  }
}

export type LlmFailureKind = "auth" | "not_configured" | "rate_limited" | "overloaded" | "transient" | "malformed";

export interface LlmFailure {
  kind: LlmFailureKind;
  /** For the user; never holds a key, a URL or the service's own words. */
  sentence: string;
  /** When the model may be asked again (rate limits, an open breaker, a 529 that said). */
  retryAfterSeconds?: number;
}

const MALFORMED = "The model gave me an answer I couldn't use, so I'm answering without it.";
const TRANSIENT = "I couldn't get an answer from the model just now, so I'm answering without it — asking again in a minute may get a fuller answer.";

/**
 * Classifies anything LlmClient (or the classifier) throws. Unknown errors are `transient`: the
 * router falls back either way, and "try again" is the honest advice when nobody knows more.
 */
export function classifyLlmFailure(err: unknown): LlmFailure {
  if (err instanceof MalformedModelOutput) return { kind: "malformed", sentence: MALFORMED };
  if (err instanceof AuthenticationFailed || err instanceof PermissionDenied) {
    return { kind: "auth", sentence: "My model key was refused, so I'm answering without the model — whoever runs Piper should check ANTHROPIC_API_KEY." };
  }
  if (err instanceof NotConfigured) {
    return { kind: "not_configured", sentence: "I don't have a language model connected, so I'm answering without one — whoever runs Piper can set ANTHROPIC_API_KEY." };
  }
  // An unknown model name (404) is configuration too: nothing will work until someone changes it.
  if (err instanceof InvalidRequest && err.cause instanceof NotFoundError) {
    return { kind: "not_configured", sentence: "The model I'm set to use isn't available to my key, so I'm answering without it — whoever runs Piper should check ANTHROPIC_MODEL and ANTHROPIC_CLASSIFIER_MODEL." };
  }
  if (err instanceof RateLimited) {
    const wait = err.retryAfterSeconds;
    return { kind: "rate_limited", sentence: `The model is rate-limited for about ${humanSeconds(wait)}, so I'm answering without it for now.`, retryAfterSeconds: wait };
  }
  if (err instanceof ServiceOverloaded) {
    return { kind: "overloaded", sentence: "The model is overloaded right now, so I'm answering without it — asking again in a minute may get a fuller answer.", ...(err.retryInSeconds ? { retryAfterSeconds: err.retryInSeconds } : {}) };
  }
  if (err instanceof ServiceUnavailable && isBreakerOpen(err)) {
    const wait = err.retryInSeconds;
    return { kind: "transient", sentence: `The model has been failing, so I'm giving it a rest and answering without it${wait ? ` — I'll try it again in about ${humanSeconds(wait)}` : ""}.`, ...(wait ? { retryAfterSeconds: wait } : {}) };
  }
  // ServiceUnavailable (5xx, connection), TimedOut, and anything unforeseen.
  return { kind: "transient", sentence: TRANSIENT };
}

/** ServicePolicy refuses with ServiceUnavailable("breaker open; …"), caused by cockatiel's BrokenCircuitError when it comes from execute. */
function isBreakerOpen(err: ServiceUnavailable): boolean {
  return err.cause instanceof BrokenCircuitError || /unavailable: breaker (open|half-open)/.test(err.message);
}
