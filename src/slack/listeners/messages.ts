// message events: DMs are answered; channel chatter is remembered and handed to the spatial layer, never answered.
import type { App } from "@slack/bolt";
import type { Logger } from "../../logger.js";
import type { Intake } from "../intake.js";
import { conversationKey, isPersonTalking, mentionsBot, messageEventSchema, roomKind, stripMention } from "../inbound.js";
import type { ThreadMemory } from "../thread-memory.js";

/** What the spatial layer receives for every message people write where Piper can see it. */
export interface AmbientMessage {
  territory: string;
  room: string;
  roomKind: ReturnType<typeof roomKind>;
  user: string;
  ts: string;
  threadTs?: string;
  mentionsPiper: boolean;
}

export interface AmbientObserver {
  observe(message: AmbientMessage): void;
}

export function registerMessages(app: App, deps: { intake: Intake; memory: ThreadMemory; ambient: AmbientObserver; firstHere: (teamId: string, eventId: string) => boolean; logger: Logger }): void {
  app.event("message", async ({ event, body, context }) => {
    const parsed = messageEventSchema.safeParse(event);
    if (!parsed.success) return; // message_changed and friends have other shapes; Piper ignores them
    const e = parsed.data;
    if (!isPersonTalking(e)) return;
    const territory = body.team_id ?? e.team ?? "unknown-team";
    const kind = roomKind(e.channel, e.channel_type);
    const mentioned = mentionsBot(e.text, context.botUserId);

    if (kind === "dm") {
      await deps.intake.accept({
        id: body.event_id,
        source: "dm",
        territory,
        room: { id: e.channel, kind },
        // A DM written at top level gets a top-level answer; one written in a thread is answered there.
        threadTs: e.thread_ts,
        ts: e.ts,
        user: e.user!,
        text: stripMention(e.text, context.botUserId),
        history: [],
      });
      return;
    }

    // Memory first and at once (it ignores repeats), so a mention that follows sees this message.
    deps.memory.record(conversationKey({ room: { id: e.channel, kind }, threadTs: e.thread_ts ?? e.ts }), { ts: e.ts, user: e.user, fromPiper: false, text: e.text });
    // Deduped in memory only: a database write per channel message is on the ack path of every
    // message Piper can see, and a rare redelivery to another instance costs one extra observation.
    if (!deps.firstHere(territory, body.event_id)) return;
    try {
      deps.ambient.observe({ territory, room: e.channel, roomKind: kind, user: e.user!, ts: e.ts, threadTs: e.thread_ts, mentionsPiper: mentioned });
    } catch (err) {
      deps.logger.warn({ err, eventId: body.event_id }, "ambient observer failed");
    }
  });
}
