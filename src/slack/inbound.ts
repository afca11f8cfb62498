// Slack words in, Piper words out: validates event payloads (zod) and builds the Inbound a router sees.
import { z } from "zod";
import type { SeenMessage } from "./thread-memory.js";

/** Mirrors the Prisma enum RoomKind. "shared" (Slack Connect) is only known from conversations.info (src/spatial/room-kinds.ts). */
export type RoomKind = "channel" | "private" | "dm" | "group_dm" | "shared";
export type InboundSource = "mention" | "dm" | "slash";

/** One request to Piper, in Piper's vocabulary. */
export interface Inbound {
  /** Slack event_id, or a generated id for slash commands; appears in every log line of this work. */
  id: string;
  source: InboundSource;
  territory: string;
  room: { id: string; kind: RoomKind };
  /**
   * The thread to answer in: the message's thread, or the message itself in channels.
   * Absent for a top-level DM, which is answered at top level.
   */
  threadTs?: string;
  /** The message being answered; absent for slash commands. */
  ts?: string;
  user: string;
  /** What the person said, with Piper's own mention removed. */
  text: string;
  /** Earlier messages of the thread, oldest first. */
  history: SeenMessage[];
}

/** Key for ordering and memory: one lane per thread, and one for a DM's top level. */
export function conversationKey(inbound: Pick<Inbound, "room" | "threadTs">): string {
  return `${inbound.room.id}:${inbound.threadTs ?? "top"}`;
}

export const messageEventSchema = z.object({
  type: z.enum(["message", "app_mention"]),
  subtype: z.string().optional(),
  channel: z.string().min(1),
  channel_type: z.enum(["channel", "group", "im", "mpim", "app_home"]).optional(),
  user: z.string().optional(),
  bot_id: z.string().optional(),
  text: z.string().default(""),
  ts: z.string().min(1),
  thread_ts: z.string().optional(),
  team: z.string().optional(),
});
export type MessageEvent = z.infer<typeof messageEventSchema>;

export const slashCommandSchema = z.object({
  command: z.string(),
  text: z.string().default(""),
  team_id: z.string(),
  channel_id: z.string(),
  channel_name: z.string().optional(),
  user_id: z.string(),
  response_url: z.string().url(),
  trigger_id: z.string().optional(),
});
export type SlashCommand = z.infer<typeof slashCommandSchema>;

/**
 * Subtypes that are edits, joins, topic changes and the like: Piper never answers them.
 * Plain messages have no subtype; file shares and thread broadcasts are still people talking.
 */
const CONVERSATIONAL_SUBTYPES = new Set([undefined, "file_share", "thread_broadcast"]);

export function isPersonTalking(event: MessageEvent): boolean {
  return !event.bot_id && event.user !== undefined && CONVERSATIONAL_SUBTYPES.has(event.subtype);
}

/**
 * The kind an event alone tells: its channel_type, else the id's prefix (D: a DM; G: private, or a
 * group DM — only channel_type or conversations.info tell those apart).
 */
export function roomKind(channelId: string, channelType?: string): RoomKind {
  if (channelType === "im" || (channelType === undefined && channelId.startsWith("D"))) return "dm";
  if (channelType === "mpim") return "group_dm";
  if (channelType === "group" || (channelType === undefined && channelId.startsWith("G"))) return "private";
  return "channel";
}

/** Removes `<@BOTID>` mentions of Piper and tidies whitespace. */
export function stripMention(text: string, botUserId: string | undefined): string {
  const withoutBot = botUserId ? text.replaceAll(new RegExp(`<@${botUserId}(\\|[^>]*)?>`, "g"), " ") : text;
  return withoutBot.replace(/\s+/g, " ").trim();
}

export function mentionsBot(text: string, botUserId: string | undefined): boolean {
  return botUserId !== undefined && text.includes(`<@${botUserId}`);
}

/** How Bolt saw the delivery: Slack's retry headers (or Socket Mode's retry_attempt) mark a redelivery. */
export function deliveryOf(context: { retryNum?: number }): { redelivered: boolean } {
  return { redelivered: (context.retryNum ?? 0) > 0 };
}
