// The WebClient options every Slack client in Piper uses: no blind retries, 429s surfaced per call, one timeout.
import { WebClient, type WebClientOptions } from "@slack/web-api";
import { createHttpFetch } from "../http-fetch.js";

export interface SlackClientSettings {
  apiUrl: string;
  /** Per-request timeout; use the Slack breaker's timeout so the two agree on when a call is given up. */
  timeoutMs: number;
  logger?: WebClientOptions["logger"];
}

/**
 * The SDK's own retries would repeat chat.postMessage after a timeout or 5xx — a second reply when
 * Slack had in fact posted the first. So the client never retries; SlackPoster retries reads itself
 * and recovers writes by looking for them (posting/post-once.ts). A 429 is rejected at once rather
 * than pausing the client's whole queue, so one limited method never holds up another.
 */
export function slackClientOptions(settings: SlackClientSettings): WebClientOptions {
  return {
    slackApiUrl: settings.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: settings.timeoutMs,
    ...(settings.logger ? { logger: settings.logger } : {}),
  };
}

/**
 * The WebClient Piper posts with: these options, on Piper's kept-alive fetch, which times each request out
 * itself. The client's own timeout is off: its AbortSignal.timeout left a timer armed for the whole timeout
 * after every call (1,600 at once at 200 mentions/s). `close()` drops the kept-alive connections.
 */
export function createPostingClient(token: string, settings: SlackClientSettings): { client: WebClient; close(): void } {
  const httpFetch = createHttpFetch({ timeoutMs: settings.timeoutMs });
  const client = new WebClient(token, { ...slackClientOptions(settings), timeout: 0, fetch: httpFetch });
  return { client, close: () => httpFetch.close() };
}
