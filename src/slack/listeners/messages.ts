// message events: DMs are answered; every message people write (DMs too) is remembered and handed to the spatial layer.
import type { Logger } from "../../logger.js";
import type { Intake } from "../intake.js";
import { conversationKey, deliveryOf, isPersonTalking, mentionsBot, messageEventSchema, roomKind, stripMention, type RoomKind } from "../inbound.js";
import type { ThreadMemory } from "../thread-memory.js";
import type { EventTable } from "./event-table.js";

/**
 * What the spatial layer receives for every message people write where Piper can see it: channel
 * chatter, DMs, and mentions of Piper. A mention arrives from Slack twice (a `message` event and an
 * `app_mention`, with different event ids); only the `message` twin is observed, with
 * `mentionsPiper` set, so each message is counted once.
 */
export interface AmbientMessage {
  territory: string;
  room: string;
  /** What the event alone tells; the spatial layer corrects it from conversations.info (Slack Connect). */
  roomKind: RoomKind;
  isDm: boolean;
  user: string;
  text: string;
  ts: string;
  threadTs?: string;
  mentionsPiper: boolean;
}

/** Slack renamed a channel (channel_rename, or group_rename for a private one). */
export interface RoomRenamed {
  territory: string;
  room: string;
  name: string;
}

/** Called on Bolt's ack path: must return at once and must not do I/O itself (queue it). */
export interface AmbientObserver {
  observe(message: AmbientMessage): void;
  renamed?(rename: RoomRenamed): void;
}

export function registerMessages(events: EventTable, deps: { intake: Intake; memory: ThreadMemory; ambient: AmbientObserver; firstHere: (teamId: string, eventId: string) => boolean; logger: Logger }): void {
  // Deduped in memory only: a database write per message is on the ack path of every message Piper
  // can see, and a rare redelivery to another instance costs one extra observation. (Requests are
  // deduped separately, by their durable job's id, so this in-memory claim never hides a DM.)
  const observe = (eventId: string, message: AmbientMessage) => {
    if (!deps.firstHere(message.territory, eventId)) return;
    try {
      deps.ambient.observe(message);
    } catch (err) {
      deps.logger.warn({ err, eventId }, "ambient observer failed");
    }
  };

  events.event("message", async ({ event, body, context }) => {
    const parsed = messageEventSchema.safeParse(event);
    if (!parsed.success) return; // message_changed and friends have other shapes; Piper ignores them
    const e = parsed.data;
    if (!isPersonTalking(e)) return;
    const territory = body.team_id ?? e.team ?? "unknown-team";
    const kind = roomKind(e.channel, e.channel_type);
    const ambient: AmbientMessage = {
      territory,
      room: e.channel,
      roomKind: kind,
      isDm: kind === "dm",
      user: e.user!,
      text: e.text,
      ts: e.ts,
      threadTs: e.thread_ts,
      mentionsPiper: mentionsBot(e.text, context.botUserId),
    };

    if (kind === "dm") {
      observe(body.event_id, ambient);
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
      }, deliveryOf(context));
      return;
    }

    // Memory first and at once (it ignores repeats), so a mention that follows sees this message.
    deps.memory.record(conversationKey({ room: { id: e.channel, kind }, threadTs: e.thread_ts ?? e.ts }), { ts: e.ts, user: e.user, fromPiper: false, text: e.text });
    observe(body.event_id, ambient);
  });

  const onRename = async ({ event, body }: { event: unknown; body: { team_id?: string } }) => {
    const channel = (event as { channel?: { id?: unknown; name?: unknown } }).channel;
    if (typeof channel?.id !== "string" || typeof channel.name !== "string") return;
    try {
      deps.ambient.renamed?.({ territory: body.team_id ?? "unknown-team", room: channel.id, name: channel.name });
    } catch (err) {
      deps.logger.warn({ err, channel: channel.id }, "ambient observer failed on a rename");
    }
  };
  events.event("channel_rename", onRename);
  events.event("group_rename", onRename);
}
