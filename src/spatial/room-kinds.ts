// Slack's conversation flags → Piper's room kind (the Prisma enum RoomKind).
import type { RoomKind } from "../slack/inbound.js";

export type { RoomKind } from "../slack/inbound.js";

/** The fields of a conversations.info `channel` that decide the kind (Slack's names). */
export interface SlackConversationFlags {
  is_im?: boolean;
  is_mpim?: boolean;
  is_private?: boolean;
  is_group?: boolean;
  is_channel?: boolean;
  /** Slack Connect: shared with another organisation. */
  is_ext_shared?: boolean;
  is_pending_ext_shared?: boolean;
}

/**
 * DMs first (a DM is never "shared", even with someone from another organisation); then Slack
 * Connect, whether public or private — people from outside the organisation read it, which
 * matters more to what Piper may say there than the channel being private; then private; else a
 * public channel.
 */
export function roomKindFromInfo(info: SlackConversationFlags): RoomKind {
  if (info.is_im) return "dm";
  if (info.is_mpim) return "group_dm";
  if (info.is_ext_shared || info.is_pending_ext_shared) return "shared";
  if (info.is_private || info.is_group) return "private";
  return "channel";
}

export const ROOM_KINDS: readonly RoomKind[] = ["channel", "private", "dm", "group_dm", "shared"];

export function isRoomKind(value: unknown): value is RoomKind {
  return typeof value === "string" && (ROOM_KINDS as readonly string[]).includes(value);
}
