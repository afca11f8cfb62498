// Each Slack event is worked on once, however often Slack delivers it: the first to claim its id does the work.
import type { Logger } from "../../logger.js";
import type { EventClaims } from "../event-dedupe.js";

export type ClaimEvent = (teamId: string, eventId: string) => Promise<boolean>;

/**
 * Claims are taken inside the work, not in a Bolt middleware: a middleware that awaits the database
 * before the listener runs lets a later message overtake an earlier one between the ack and the queue,
 * and lets a reply read a thread's memory before the messages it follows were recorded.
 */
export function eventClaimer(claims: EventClaims, logger: Logger): ClaimEvent {
  return async (teamId, eventId) => {
    if (await claims.claim(teamId, eventId)) return true;
    // Bolt already acked; skipping here is what stops a retry from becoming a second reply.
    logger.info({ eventId, teamId }, "duplicate delivery skipped");
    return false;
  };
}
