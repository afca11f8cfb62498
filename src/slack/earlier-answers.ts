// Recovery's look before it acts: what Piper already posted in a thread for one request, and the apology when it is too late.
import { APOLOGY, type EarlierAnswer } from "./intake.js";
import type { Inbound } from "./inbound.js";
import type { SlackPoster } from "./poster.js";
import { fallbackText, toSections } from "./format.js";
import { keyOf } from "./posting/reply-key.js";

/** The key Piper stamps on a request's progress placeholder; its final answer carries the request id itself. */
export function progressKey(requestId: string): string {
  return `${requestId}:progress`;
}

interface ThreadMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: unknown };
}

/**
 * Reads the thread once (conversations.replies, or the channel's history from the message on for a
 * top-level DM) and finds Piper's messages keyed for this request: the final answer means "done";
 * the placeholder is returned so the answer replaces it instead of adding a second message.
 */
export async function findEarlierAnswer(poster: SlackPoster, inbound: Inbound, requestId: string): Promise<EarlierAnswer> {
  const channel = inbound.room.id;
  const messages: ThreadMessage[] = inbound.threadTs
    ? ((await poster.call("conversations.replies", (c) => c.conversations.replies({ channel, ts: inbound.threadTs!, include_all_metadata: true, limit: 200 }))).messages ?? [])
    : ((await poster.call("conversations.history", (c) => c.conversations.history({ channel, oldest: inbound.ts, inclusive: true, include_all_metadata: true, limit: 100 }))).messages ?? []);
  let placeholder: EarlierAnswer["placeholder"];
  for (const m of messages) {
    const key = keyOf(m);
    if (!m.ts || key === undefined) continue;
    if (key === requestId) return { answered: true };
    if (key === progressKey(requestId)) placeholder = { channel, ts: m.ts };
  }
  return { answered: false, placeholder };
}

/** One message, in the placeholder if there is one: the request is too old to answer usefully now. */
export async function apologise(poster: SlackPoster, inbound: Inbound, placeholder: EarlierAnswer["placeholder"]): Promise<void> {
  const body = { text: fallbackText(APOLOGY), blocks: toSections(APOLOGY) };
  const target = { channel: inbound.room.id, threadTs: inbound.threadTs, user: inbound.user };
  if (placeholder) await poster.updateOrPost(placeholder, target, body, { key: inbound.id });
  else await poster.postReply(target, body, { key: inbound.id });
}
