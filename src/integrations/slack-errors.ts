// Which errors from @slack/web-api's WebClient say Slack itself is unhealthy, and so count toward the slack breaker.
import { ErrorCode } from "@slack/web-api";
import { defaultIsServiceFailure } from "./policy.js";

/**
 * Slack answers almost everything with HTTP 200: `ok:false` (restricted_action, not_in_channel,
 * msg_too_long, invalid_blocks…) is Slack refusing one call, and a 429 is Slack asking for room —
 * neither says Slack is down, and counting them would open the breaker and silence Piper everywhere
 * because of one channel. Only a 5xx, a request that never got an answer, or a timeout counts.
 * Codes rather than instanceof: Bolt may load its own copy of @slack/web-api.
 */
export function isSlackServiceFailure(err: Error): boolean {
  switch ((err as { code?: unknown }).code) {
    case ErrorCode.PlatformError:
    case ErrorCode.RateLimitedError:
      return false;
    case ErrorCode.HTTPError: {
      const status = (err as { statusCode?: unknown }).statusCode;
      return typeof status === "number" && status >= 500;
    }
    case ErrorCode.RequestError:
      return true;
    default:
      return defaultIsServiceFailure(err);
  }
}
