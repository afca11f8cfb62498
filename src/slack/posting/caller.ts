// One Slack Web API call as Piper makes it: under the Slack breaker, 429s waited out within a budget, reads retried.
import type { WebAPICallResult, WebClient } from "@slack/web-api";
import type { Logger } from "../../logger.js";
import { realSleep, retryReads, waitOutRateLimits, wrap, type Sleep } from "./layers.js";

/** The shape of an integrations policy: runs `fn` under timeout/breaker, with a signal to cancel. */
export interface CallPolicy {
  execute<T>(fn: (signal: AbortSignal) => Promise<T>, operation?: string): Promise<T>;
}

export type SlackCall = <T extends WebAPICallResult>(method: string, fn: (client: WebClient) => Promise<T>) => Promise<T>;

export interface SlackCallOptions {
  client: WebClient;
  policy: CallPolicy;
  logger: Logger;
  maxRateLimitWaitSeconds: number;
  /** Waits before each repeat of a read whose answer was lost (timeout, 5xx). */
  readRetryDelaysMs: number[];
  sleep?: Sleep;
}

/**
 * Every try goes through the breaker on its own, so the breaker sees each request Slack saw; the
 * 429 wait sits inside the read retry, so a retried read can still wait out a short Retry-After.
 */
export function createSlackCall(options: SlackCallOptions): SlackCall {
  const sleep = options.sleep ?? realSleep;
  const layers = wrap(
    retryReads({ delaysMs: options.readRetryDelaysMs, logger: options.logger, sleep }),
    waitOutRateLimits({ maxWaitSeconds: options.maxRateLimitWaitSeconds, logger: options.logger, sleep }),
  );
  return (method, fn) => layers(method, () => options.policy.execute(() => fn(options.client), method));
}
