// An Octokit plugin that runs each request GitHub actually receives under the github policy, after the client's own rate limiter.
import type { Octokit, OctokitOptions } from "@octokit/core";
import type { ServicePolicy } from "./policy.js";

export interface PolicyPluginOptions extends OctokitOptions {
  /** The github policy; it sees Octokit's raw errors, so it should classify them with isGitHubServiceFailure. */
  policy?: ServicePolicy;
}

/**
 * Register this plugin before @octokit/plugin-throttling, so it sits inside the throttling limiter:
 * time spent waiting for a turn (GitHub asks for writes ~1–3 s apart) is neither a timeout nor a
 * failure of GitHub's. It sits outside @octokit/plugin-retry, so one call — with its SDK retry —
 * counts once toward the breaker.
 *
 * Writes are never retried by the SDK: a 5xx may come after GitHub acted, and a second POST would
 * create a second issue. The caller decides what an unknown outcome means.
 *
 * Octokit's hooks share one options object per request; plugins talk by changing `options.request`.
 */
export function policyPlugin(octokit: Octokit, options: PolicyPluginOptions): void {
  const policy = options.policy;
  if (!policy) throw new Error("policyPlugin needs the github policy (options.policy)");
  // Keyed by the per-request options object. The throttling plugin may run the same request through
  // here again after a rate-limit wait, so the caller's own signal is remembered before it is replaced.
  const callerSignals = new WeakMap<object, AbortSignal | undefined>();
  octokit.hook.wrap("request", (request, opts) => {
    if (!callerSignals.has(opts)) {
      callerSignals.set(opts, opts.request?.signal);
      // Without per-call settings, `opts.request` is the client's shared defaults: give this request its own.
      opts.request = { ...opts.request };
    }
    const settings = opts.request!;
    const callerSignal = callerSignals.get(opts);
    if (opts.method !== "GET" && opts.method !== "HEAD") settings.retries = 0;
    const operation = typeof settings.operation === "string" ? settings.operation : `${opts.method} ${opts.url}`;
    return policy.execute(async (signal) => {
      settings.signal = callerSignal ? AbortSignal.any([callerSignal, signal]) : signal;
      return request(opts);
    }, operation);
  });
}
