// Events that are not requests (the Home tab, a new assistant thread) are worked on once: the first to claim their id does the work.
import type { Logger } from "../../logger.js";
import type { EventClaims } from "../event-dedupe.js";

export type ClaimEvent = (teamId: string, eventId: string) => Promise<boolean>;

/**
 * Requests (mentions, DMs, commands) are deduped by their durable job's id (accepted-events.ts) and
 * ambient chatter in memory; this database claim is for the few events that are neither.
 */
export function eventClaimer(claims: EventClaims, logger: Logger): ClaimEvent {
  return async (teamId, eventId) => {
    if (await claims.claim(teamId, eventId)) return true;
    // Bolt already acked; skipping here is what stops a retry from becoming a second reply.
    logger.info({ eventId, teamId }, "duplicate delivery skipped");
    return false;
  };
}
