// The WebClient options every Slack client in Piper uses: no blind retries, 429s surfaced per call, one timeout.
import type { WebClientOptions } from "@slack/web-api";

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
