// Sorts a failed Slack call by what it says about the write: refused, rate-limited, never sent, or unknown.
import { ErrorCode } from "@slack/web-api";
import { NotConfigured, ServiceUnavailable, TimedOut } from "../../integrations/errors.js";
import { SlackRateLimitedError, SlackRefusedError, SlackWriteUnconfirmedError } from "./errors.js";

/**
 * - refused: Slack answered ok:false (or a 4xx) — nothing was written.
 * - rate-limited: a 429 — nothing was written; Retry-After says when to try.
 * - not-sent: the breaker (or missing config) stopped the call before it left.
 * - unknown: a timeout, 5xx or broken connection — Slack may or may not have performed it.
 * Anything else is not a Slack failure (a bug) and is undefined.
 */
export type CallOutcome = "refused" | "rate-limited" | "not-sent" | "unknown";

export function outcomeOf(err: unknown): CallOutcome | undefined {
  if (err instanceof SlackRefusedError) return "refused";
  if (err instanceof SlackRateLimitedError) return "rate-limited";
  if (err instanceof SlackWriteUnconfirmedError || err instanceof TimedOut) return "unknown";
  if (err instanceof ServiceUnavailable || err instanceof NotConfigured) return "not-sent";
  switch ((err as { code?: unknown } | null)?.code) {
    case ErrorCode.PlatformError:
      return "refused";
    case ErrorCode.RateLimitedError:
      return "rate-limited";
    case ErrorCode.HTTPError:
      return ((err as { statusCode?: number }).statusCode ?? 500) >= 500 ? "unknown" : "refused";
    case ErrorCode.RequestError:
      return "unknown";
    default:
      return undefined;
  }
}

/** Slack's own error string (`not_in_channel`, `msg_too_long`…) for a refusal, or the HTTP status for a 4xx. */
export function slackErrorOf(err: unknown): string {
  if (err instanceof SlackRefusedError) return err.slackError;
  const e = err as { data?: { error?: unknown }; statusCode?: unknown } | null;
  if (typeof e?.data?.error === "string") return e.data.error;
  return typeof e?.statusCode === "number" ? `http_${e.statusCode}` : "unknown_error";
}
