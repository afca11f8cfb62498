// Global middleware: each Slack event is worked on once, however often Slack delivers it.
import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";
import type { Logger } from "../../logger.js";
import type { EventClaims } from "../event-dedupe.js";

export function claimEvents(claims: EventClaims, logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async ({ body, context, next }) => {
    const envelope = body as { event_id?: unknown; team_id?: unknown };
    if (typeof envelope.event_id !== "string") return next();
    const teamId = typeof envelope.team_id === "string" ? envelope.team_id : "unknown-team";
    if (await claims.claim(teamId, envelope.event_id)) return next();
    // Bolt already acked; skipping here is what stops a retry from becoming a second reply.
    logger.info({ eventId: envelope.event_id, retryNum: context.retryNum, retryReason: context.retryReason }, "duplicate delivery skipped");
  };
}
