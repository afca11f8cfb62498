// Recovery's look before it acts: what Piper already posted in a thread for one request, and the apology when it is too late.
import { APOLOGY, type EarlierAnswer } from "./intake.js";
import type { Inbound } from "./inbound.js";
import type { SlackPoster } from "./poster.js";
import { fallbackText, toSections } from "./format.js";
import { findMessage } from "./posting/find-message.js";

/** The key Piper stamps on a request's progress placeholder; its final answer carries the request id itself. */
export function progressKey(requestId: string): string {
  return `${requestId}:progress`;
}

/**
 * Reads the thread (or, for a top-level DM, the channel from the message on) with the poster's own
 * keyed look-up, and finds Piper's messages for this request: the final answer means "done"; the
 * placeholder is returned so the answer replaces it instead of adding a second message.
 */
export async function findEarlierAnswer(poster: SlackPoster, inbound: Inbound, requestId: string): Promise<EarlierAnswer> {
  let placeholder: EarlierAnswer["placeholder"];
  const where = inbound.threadTs ? { channel: inbound.room.id, threadTs: inbound.threadTs } : { channel: inbound.room.id, oldest: inbound.ts };
  const answer = await findMessage((method, fn) => poster.call(method, fn), where, (m) => {
    if (m.key === progressKey(requestId)) placeholder = { channel: m.channel, ts: m.ts };
    return m.key === requestId;
  });
  return answer ? { answered: true } : { answered: false, placeholder };
}

/** One message, in the placeholder if there is one: the request is too old to answer usefully now. */
export async function apologise(poster: SlackPoster, inbound: Inbound, placeholder: EarlierAnswer["placeholder"]): Promise<void> {
  const body = { text: fallbackText(APOLOGY), blocks: toSections(APOLOGY) };
  const target = { channel: inbound.room.id, threadTs: inbound.threadTs, user: inbound.user };
  if (placeholder) await poster.updateOrPost(placeholder, target, body, { key: inbound.id });
  else await poster.postReply(target, body, { key: inbound.id });
}
