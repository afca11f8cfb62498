// Persists each exchange as a ConversationTurn, creating the territory and room rows it hangs on.
import type { PrismaClient } from "../generated/prisma/client.js";
import type { Inbound } from "./inbound.js";
import type { RoomActivity } from "./room-activity.js";

export interface ConversationLog {
  record(inbound: Inbound, replyText: string): Promise<void>;
}

export class DatabaseConversationLog implements ConversationLog {
  /** Room row ids by team:channel. Rooms are never deleted while Piper runs, so the ids stay valid. */
  readonly #roomIds = new Map<string, string>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly activity: RoomActivity,
    private readonly maxCachedRooms = 10_000,
  ) {}

  async record(inbound: Inbound, replyText: string): Promise<void> {
    const now = new Date();
    const roomId = await this.#roomId(inbound, now);
    this.activity.touch(roomId, now);
    await this.prisma.conversationTurn.create({
      data: {
        roomId,
        threadTs: inbound.threadTs ?? inbound.ts ?? "",
        slackUserId: inbound.user,
        userText: inbound.text,
        replyText,
        eventId: inbound.source === "slash" ? null : inbound.id,
        repliedAt: now,
      },
    });
  }

  /** Two upserts the first time a room is seen; afterwards none (activity times are batched by RoomActivity). */
  async #roomId(inbound: Inbound, now: Date): Promise<string> {
    const key = `${inbound.territory}:${inbound.room.id}`;
    const known = this.#roomIds.get(key);
    if (known) return known;
    const territory = await this.prisma.territory.upsert({ where: { slackTeamId: inbound.territory }, create: { slackTeamId: inbound.territory }, update: {} });
    const room = await this.prisma.room.upsert({
      where: { territoryId_slackChannelId: { territoryId: territory.id, slackChannelId: inbound.room.id } },
      create: { territoryId: territory.id, slackChannelId: inbound.room.id, kind: inbound.room.kind, lastActivityAt: now },
      update: { lastActivityAt: now },
    });
    if (this.#roomIds.size >= this.maxCachedRooms) this.#roomIds.delete(this.#roomIds.keys().next().value!);
    this.#roomIds.set(key, room.id);
    return room.id;
  }
}
