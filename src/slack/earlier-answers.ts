// Recovery's look before it acts: what Piper already posted in a thread for one request, and the apology when it is too late.
import type { Inbound } from "./inbound.js";
import { APOLOGY, type EarlierAnswer } from "./intake.js";
import type { SlackPoster } from "./poster.js";
import { fallbackText, toSections } from "./format.js";

/** Message metadata event types Piper stamps on what it posts for a request (payload: `{ key }`). */
export const REPLY_EVENT = "piper_reply";
export const PROGRESS_EVENT = "piper_progress";

interface ThreadMessage {
  ts?: string;
  user?: string;
  bot_id?: string;
  metadata?: { event_type?: string; event_payload?: { key?: unknown } };
}

/**
 * Reads the thread once (conversations.replies, or the channel's recent history for a top-level DM)
 * and finds Piper's messages stamped with this request's key: a final answer means "done"; a
 * progress placeholder is returned so the answer replaces it instead of adding a second message.
 */
export async function findEarlierAnswer(poster: SlackPoster, botUserId: string, inbound: Inbound, key: string): Promise<EarlierAnswer> {
  const channel = inbound.room.id;
  const messages: ThreadMessage[] = inbound.threadTs
    ? ((await poster.call("conversations.replies", (c) => c.conversations.replies({ channel, ts: inbound.threadTs!, include_all_metadata: true, limit: 200 }))).messages ?? [])
    : ((await poster.call("conversations.history", (c) => c.conversations.history({ channel, oldest: inbound.ts, include_all_metadata: true, limit: 200 }))).messages ?? []);
  let placeholder: EarlierAnswer["placeholder"];
  for (const m of messages) {
    const fromPiper = m.user === botUserId || m.bot_id !== undefined;
    if (!fromPiper || !m.ts || m.metadata?.event_payload?.key !== key) continue;
    if (m.metadata.event_type === REPLY_EVENT) return { answered: true };
    if (m.metadata.event_type === PROGRESS_EVENT) placeholder = { channel, ts: m.ts };
  }
  return { answered: false, placeholder };
}

/** One message, in the placeholder if there is one: the request is too old to answer usefully now. */
export async function apologise(poster: SlackPoster, inbound: Inbound, placeholder: EarlierAnswer["placeholder"]): Promise<void> {
  const body = { text: fallbackText(APOLOGY), blocks: toSections(APOLOGY) };
  if (placeholder) await poster.update(placeholder.channel, placeholder.ts, body);
  else await poster.postMessage(inbound.room.id, inbound.threadTs, body);
}
