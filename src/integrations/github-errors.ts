// Octokit's errors read for Piper: which say GitHub is unhealthy, which leave a write's outcome unknown, and the typed error each becomes.
import { AuthenticationFailed, InvalidRequest, isIntegrationError, NotFound, PermissionDenied, RateLimited, retryAfterSeconds, ServiceUnavailable, TimedOut } from "./errors.js";
import { defaultIsServiceFailure } from "./policy.js";
import { neverConnected } from "./transport-errors.js";

interface OctokitErrorShape {
  name?: string;
  status?: number;
  response?: { headers?: Record<string, string | undefined>; data?: { message?: string; errors?: Array<{ message?: string; field?: string; code?: string }> } };
  cause?: unknown;
}

/**
 * For the github policy, which sees Octokit's raw errors (it runs inside Octokit's request hook).
 * Octokit reports a network failure as status 500 with no response, so "5xx" covers both.
 * An AbortError is a caller giving up, not GitHub failing.
 */
export function isGitHubServiceFailure(err: Error): boolean {
  if (isIntegrationError(err)) return err.countsAsServiceFailure;
  const e = err as OctokitErrorShape;
  if (e.name === "AbortError") return false;
  if (typeof e.status === "number" && e.status > 0) return e.status >= 500;
  return defaultIsServiceFailure(err);
}

/**
 * Whether GitHub may have acted on a write although Piper did not get a success: a timeout, a 5xx,
 * or the connection failing after the request went out. A 4xx, a rate limit or an open breaker
 * means it did not happen.
 */
export function writeOutcomeUnknown(err: unknown): boolean {
  if (err instanceof TimedOut) return true;
  if (isIntegrationError(err)) return false;
  const e = err as OctokitErrorShape;
  if (typeof e.status !== "number" || e.status < 500 || e.name === "AbortError") return false;
  return !(e.response === undefined && neverConnected(e.cause));
}

/** Octokit's RequestError → Piper's typed errors; `what` names the thing for NotFound/PermissionDenied sentences. */
export async function mapErrors<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toGitHubError(err, what);
  }
}

export function toGitHubError(err: unknown, what: string): Error {
  if (isIntegrationError(err)) return err;
  const e = err as OctokitErrorShape;
  const status = e.status;
  const headers = e.response?.headers ?? {};
  if (status === 401) return new AuthenticationFailed("github", { cause: err });
  if (status === 403 || status === 429) {
    const wait = rateLimitWait(headers);
    if (wait !== undefined) return new RateLimited("github", wait, { cause: err });
    return new PermissionDenied("github", `access ${what}`, { cause: err });
  }
  if (status === 404) return new NotFound("github", what, { cause: err });
  if (status === 422 || status === 400) {
    const details = (e.response?.data?.errors ?? []).map((d) => d.message ?? [d.field, d.code].filter(Boolean).join(" ")).filter(Boolean);
    return new InvalidRequest("github", [e.response?.data?.message ?? "invalid request", ...details].join(": "), { cause: err });
  }
  if (e.name === "AbortError") return err as Error;
  // Octokit gives a request that got no answer status 500; say what happened instead.
  const detail = status && e.response ? `HTTP ${status}` : ((err as Error).message ?? "network error");
  return new ServiceUnavailable("github", detail, undefined, { cause: err });
}

function rateLimitWait(headers: Record<string, string | undefined>): number | undefined {
  const after = retryAfterSeconds(headers["retry-after"]);
  if (after !== undefined) return Math.max(1, after);
  if (headers["x-ratelimit-remaining"] === "0" && headers["x-ratelimit-reset"]) {
    return Math.max(1, Math.ceil(Number(headers["x-ratelimit-reset"]) - Date.now() / 1000));
  }
  return undefined;
}
