// The interface Slack listeners call; routing strategies (minimal now, the routing graph later) implement it.
import type { Inbound } from "../slack/inbound.js";
import type { Intent } from "./intent.js";

/** A finished answer. `text` is Slack mrkdwn and is always present (notifications and fallbacks use it). */
export interface Reply {
  kind: "reply";
  text: string;
  /** Optional Block Kit rendering; the responder builds sections from `text` when absent. */
  blocks?: unknown[];
  /** What the message was understood as; stored on the conversation turn. */
  intent?: Intent;
  /** Offer Slack's 👍/👎 feedback buttons under the answer (answers routed by a classifier). */
  feedback?: boolean;
}

/** An answer that arrives in pieces (LLM output), streamed into Slack as it comes. */
export interface StreamedReply {
  kind: "stream";
  chunks: AsyncIterable<string>;
  intent?: Intent;
  feedback?: boolean;
}

export type RouterResult = Reply | StreamedReply;

/** Lets a router show what it is doing while it works (e.g. "Reading GitHub…"). */
export interface Progress {
  update(status: string): void;
}

export interface Router {
  /** A short phrase for error messages: "Something went wrong while <activity>". */
  activity(inbound: Inbound): string;
  route(inbound: Inbound, progress: Progress, signal: AbortSignal): Promise<RouterResult>;
}

export function reply(text: string, blocks?: unknown[]): Reply {
  return blocks ? { kind: "reply", text, blocks } : { kind: "reply", text };
}
