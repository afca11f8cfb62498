// Types for http-fetch.mjs (plain JavaScript): a fetch the Slack WebClient accepts, plus close().
import type { WebClientOptions } from "@slack/web-api";

export type HttpFetch = NonNullable<WebClientOptions["fetch"]> & {
  /** Drops the kept-alive connections (shutdown). */
  close(): void;
};

export function createHttpFetch(options?: { maxSockets?: number }): HttpFetch;
