// app_mention: someone wrote @piper in a channel; answer in that message's thread.
import type { Logger } from "../../logger.js";
import type { Intake } from "../intake.js";
import { deliveryOf, isPersonTalking, messageEventSchema, roomKind, stripMention } from "../inbound.js";
import type { EventTable } from "./event-table.js";

export function registerMentions(events: EventTable, intake: Intake, logger: Logger): void {
  events.event("app_mention", async ({ event, body, context }) => {
    const parsed = messageEventSchema.safeParse(event);
    if (!parsed.success) {
      logger.warn({ eventId: body.event_id, issues: parsed.error.issues.length }, "app_mention with an unexpected shape ignored");
      return;
    }
    const e = parsed.data;
    if (!isPersonTalking(e)) return;
    // Awaited: Bolt (processBeforeResponse) acks only after the request is recorded durably.
    await intake.accept({
      id: body.event_id,
      source: "mention",
      territory: body.team_id ?? e.team ?? "unknown-team",
      room: { id: e.channel, kind: roomKind(e.channel, e.channel_type) },
      threadTs: e.thread_ts ?? e.ts,
      ts: e.ts,
      user: e.user!,
      text: stripMention(e.text, context.botUserId),
      history: [],
    }, deliveryOf(context));
  });
}
