// Small wrappers around one Slack call, composed by the caller (like cockatiel's wrap): 429s waited out, reads retried.
import type { Logger } from "../../logger.js";
import { SlackRateLimitedError } from "./errors.js";
import { outcomeOf } from "./outcome.js";

/** Runs `attempt` (one try of `method`) with some extra behaviour; layers nest like function calls. */
export type CallLayer = <T>(method: string, attempt: () => Promise<T>) => Promise<T>;

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** `wrap(a, b)(m, f)` is `a(m, () => b(m, f))`: the first layer is the outermost. */
export function wrap(...layers: CallLayer[]): CallLayer {
  return <T>(method: string, attempt: () => Promise<T>) => layers.reduceRight<() => Promise<T>>((next, layer) => () => layer(method, next), attempt)();
}

/**
 * A 429 means Slack did nothing, so trying again is safe. Retry-After is waited out for this call
 * alone (never pausing other calls) while the waits add up to at most `maxWaitSeconds`; a wait
 * that would go past it becomes SlackRateLimitedError, whose sentence says how long to wait. Several
 * replies limited together each keep waiting their turn instead of the unlucky ones failing.
 */
export function waitOutRateLimits(options: { maxWaitSeconds: number; logger: Logger; sleep: Sleep }): CallLayer {
  return async (method, attempt) => {
    let waited = 0;
    for (;;) {
      try {
        return await attempt();
      } catch (err) {
        const retryAfter = rateLimitedSeconds(err);
        if (retryAfter === undefined) throw err;
        if (waited + retryAfter > options.maxWaitSeconds) throw new SlackRateLimitedError(retryAfter);
        options.logger.warn({ method, retryAfter, waited }, "slack rate limited a call; waiting it out");
        await options.sleep(retryAfter * 1000);
        waited += retryAfter;
      }
    }
  };
}

/**
 * Methods that change nothing (or set state to the same value again) may be repeated after a
 * timeout or 5xx. Writes that create something are never in this list: see post-once.ts.
 */
const SAFE_TO_REPEAT = new Set([
  "auth.test",
  "conversations.history",
  "conversations.replies",
  "conversations.info",
  "conversations.list",
  "conversations.members",
  "conversations.open",
  "users.info",
  "users.list",
  "team.info",
  "bots.info",
]);

export function isSafeToRepeat(method: string): boolean {
  return SAFE_TO_REPEAT.has(method);
}

/** Repeats a safe-to-repeat call after an unknown outcome, waiting `delaysMs[i]` before retry i. */
export function retryReads(options: { delaysMs: number[]; logger: Logger; sleep: Sleep }): CallLayer {
  return async (method, attempt) => {
    for (let i = 0; ; i++) {
      try {
        return await attempt();
      } catch (err) {
        if (!isSafeToRepeat(method) || outcomeOf(err) !== "unknown" || i >= options.delaysMs.length) throw err;
        options.logger.info({ method, err, retry: i + 1 }, "slack read failed; trying again");
        await options.sleep(options.delaysMs[i]!);
      }
    }
  };
}

function rateLimitedSeconds(err: unknown): number | undefined {
  // Already decided (a long wait, or a second 429): not this layer's to wait out again.
  if (err instanceof SlackRateLimitedError || outcomeOf(err) !== "rate-limited") return undefined;
  const retryAfter = (err as { retryAfter?: unknown }).retryAfter;
  return typeof retryAfter === "number" ? retryAfter : 1;
}
