// @notionhq/client's errors read for Piper: the typed error each becomes, and which leave a write's outcome unknown.
import { APIErrorCode, APIResponseError, isHTTPResponseError, isNotionClientError, RequestTimeoutError } from "@notionhq/client";
import { AuthenticationFailed, InvalidRequest, isIntegrationError, NotFound, PermissionDenied, RateLimited, retryAfterSeconds, ServiceUnavailable, TimedOut } from "./errors.js";
import { isTransportError, neverConnected } from "./transport-errors.js";

export async function mapErrors<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toNotionError(err, what);
  }
}

export function toNotionError(err: unknown, what: string, timeoutMs = 0): Error {
  if (isIntegrationError(err)) return err;
  if (err instanceof RequestTimeoutError) return new TimedOut("notion", timeoutMs, { cause: err });
  if (APIResponseError.isAPIResponseError(err)) {
    switch (err.code) {
      case APIErrorCode.Unauthorized:
        return new AuthenticationFailed("notion", { cause: err });
      case APIErrorCode.RestrictedResource:
        return new PermissionDenied("notion", `use ${what}`, { cause: err });
      case APIErrorCode.ObjectNotFound:
        return new NotFound("notion", what, { cause: err });
      case APIErrorCode.RateLimited:
        return new RateLimited("notion", retryAfterSeconds(headerOf(err, "retry-after")) ?? 1, { cause: err });
      case APIErrorCode.ValidationError:
      case APIErrorCode.InvalidRequest:
      case APIErrorCode.InvalidJSON:
      case APIErrorCode.InvalidRequestURL:
        return new InvalidRequest("notion", err.message, { cause: err });
      default:
        return new ServiceUnavailable("notion", `${err.status} ${err.code}`, undefined, { cause: err });
    }
  }
  // A 4xx without Notion's error body (a proxy's page) is still a refusal, not Notion failing.
  if (isHTTPResponseError(err) && err.status < 500) return new InvalidRequest("notion", `HTTP ${err.status}`, { cause: err });
  if (isNotionClientError(err)) return new ServiceUnavailable("notion", err.message, undefined, { cause: err });
  return new ServiceUnavailable("notion", (err as Error)?.message ?? "network error", undefined, { cause: err });
}

/**
 * Whether Notion may have carried out a write although Piper got no success: a timeout, a 5xx, or
 * the connection failing after the request went out. A refusal, a rate limit or an open breaker
 * (ServiceUnavailable caused by cockatiel's BrokenCircuitError) means it did not happen.
 */
export function notionWriteOutcomeUnknown(err: unknown): boolean {
  if (err instanceof TimedOut) return true;
  if (!(err instanceof ServiceUnavailable)) return false;
  const cause = err.cause;
  if (isHTTPResponseError(cause)) return cause.status >= 500;
  return isTransportError(cause) && !neverConnected(cause);
}

function headerOf(err: APIResponseError, name: string): string | null {
  const h = (err as unknown as { headers?: Headers | Record<string, string> }).headers;
  if (!h) return null;
  return typeof (h as Headers).get === "function" ? (h as Headers).get(name) : ((h as Record<string, string>)[name] ?? null);
}
