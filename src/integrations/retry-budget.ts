// A fetch wrapper that lets an SDK retry a rate limit only when the wait is short; longer waits go to the user instead.
import { RateLimited, retryAfterSeconds, type ServiceName } from "./errors.js";

type Fetch = typeof globalThis.fetch;

/**
 * The Anthropic and Notion SDKs honour Retry-After by sleeping before their retry — fine for a few
 * seconds, wrong for a minute while someone waits in Slack. Above `maxWaitSeconds` this wrapper
 * stops the SDK's retry: Anthropic honours `x-should-retry: false`; Notion rethrows non-Notion
 * errors untouched, so a RateLimited thrown here reaches Piper directly.
 */
export function retryBudgetFetch(service: ServiceName, maxWaitSeconds: number, mode: "no-retry-header" | "throw", inner: Fetch = globalThis.fetch): Fetch {
  return async (input, init) => {
    const res = await inner(input, init);
    if (res.status !== 429 && res.status !== 529 && res.status !== 503) return res;
    const wait = retryAfterSeconds(res.headers.get("retry-after"));
    if (wait === undefined || wait <= maxWaitSeconds) return res;
    if (mode === "throw") throw new RateLimited(service, wait);
    const headers = new Headers(res.headers);
    headers.set("x-should-retry", "false");
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
  };
}
