// Claims each Slack event once: a redelivery (x-slack-retry-num) or a second Piper instance loses the claim.
import type { PrismaClient } from "../generated/prisma/client.js";
import { isUniqueViolation } from "../db/errors.js";
import type { Logger } from "../logger.js";

export interface EventClaims {
  /** True when this caller is the first to see (teamId, eventId) and must do the work. */
  claim(teamId: string, eventId: string): Promise<boolean>;
  /**
   * The same question answered from this process's memory alone: for ambient chatter, where a
   * database write per message would cost more than the rare double count after a redelivery.
   */
  firstHere(teamId: string, eventId: string): boolean;
}

/**
 * The database row is the source of truth (it works across instances); a bounded in-memory set
 * answers repeats without a round trip and keeps dedupe working on this instance if the
 * database blips — in that case Piper prefers answering once more over losing the event.
 */
export class DatabaseEventClaims implements EventClaims {
  readonly #recent = new Map<string, true>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly logger: Logger,
    private readonly capacity = 10_000,
  ) {}

  firstHere(teamId: string, eventId: string): boolean {
    const key = `${teamId}:${eventId}`;
    if (this.#recent.has(key)) return false;
    this.#remember(key);
    return true;
  }

  async claim(teamId: string, eventId: string): Promise<boolean> {
    if (!this.firstHere(teamId, eventId)) return false;
    try {
      await this.prisma.processedEvent.create({ data: { teamId, eventId } });
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      this.logger.warn({ err, eventId }, "could not record event for dedupe; processing it anyway");
      return true;
    }
  }

  /** Slack stops retrying after about 5 minutes; rows older than a day only cost space. */
  async prune(olderThan: Date): Promise<number> {
    const { count } = await this.prisma.processedEvent.deleteMany({ where: { receivedAt: { lt: olderThan } } });
    return count;
  }

  #remember(key: string): void {
    this.#recent.set(key, true);
    if (this.#recent.size > this.capacity) {
      const oldest = this.#recent.keys().next().value;
      if (oldest !== undefined) this.#recent.delete(oldest);
    }
  }
}
