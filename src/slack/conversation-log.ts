// Persists each exchange as a ConversationTurn, creating the territory and room rows it hangs on.
import type { PrismaClient } from "../generated/prisma/client.js";
import type { Inbound } from "./inbound.js";

export interface ConversationLog {
  record(inbound: Inbound, replyText: string): Promise<void>;
}

export class DatabaseConversationLog implements ConversationLog {
  constructor(private readonly prisma: PrismaClient) {}

  async record(inbound: Inbound, replyText: string): Promise<void> {
    const territory = await this.prisma.territory.upsert({
      where: { slackTeamId: inbound.territory },
      create: { slackTeamId: inbound.territory },
      update: {},
    });
    const room = await this.prisma.room.upsert({
      where: { territoryId_slackChannelId: { territoryId: territory.id, slackChannelId: inbound.room.id } },
      create: { territoryId: territory.id, slackChannelId: inbound.room.id, kind: inbound.room.kind, lastActivityAt: new Date() },
      update: { lastActivityAt: new Date() },
    });
    await this.prisma.conversationTurn.create({
      data: {
        roomId: room.id,
        threadTs: inbound.threadTs ?? inbound.ts ?? "",
        slackUserId: inbound.user,
        userText: inbound.text,
        replyText,
        eventId: inbound.source === "slash" ? null : inbound.id,
        repliedAt: new Date(),
      },
    });
  }
}
