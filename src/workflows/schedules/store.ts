// StandupSchedule rows: set, show and stop a channel's schedule, and claim a slot so it runs once across instances.
import type { PrismaClient, StandupSchedule } from "../../generated/prisma/client.js";

export type Schedule = StandupSchedule;

export interface ScheduleInput {
  slackTeamId: string;
  channelId: string;
  days: number[];
  time: string;
  timeZone: string;
  createdBy: string;
  now: Date;
}

/*
 * Every DateTime here is `timestamp(3)` without a zone, holding UTC (as Prisma writes them): raw values go
 * in as `timestamptz AT TIME ZONE 'UTC'`, like src/spatial/offers.ts does.
 */
const UTC = (n: number) => `$${n}::timestamptz AT TIME ZONE 'UTC'`;

/**
 * A fresh slot: moves lastSlot forward. Under READ COMMITTED a second UPDATE of the row waits for the
 * first to commit, re-reads lastSlot and no longer matches, so of any number of instances one wins.
 */
const CLAIM = `UPDATE "StandupSchedule" SET "lastSlot" = ${UTC(2)}, "claimedAt" = ${UTC(3)}, "attempts" = 1, "updatedAt" = ${UTC(3)}
WHERE id = $1 AND active AND ("lastSlot" IS NULL OR "lastSlot" < ${UTC(2)})`;

/** The same slot again, when its claim is older than the lease and its post never landed (the claimer died or failed). */
const RECLAIM = `UPDATE "StandupSchedule" SET "claimedAt" = ${UTC(3)}, "attempts" = "attempts" + 1, "updatedAt" = ${UTC(3)}
WHERE id = $1 AND active AND "lastSlot" = ${UTC(2)} AND ("postedSlot" IS NULL OR "postedSlot" < ${UTC(2)})
  AND "claimedAt" <= ${UTC(4)} AND "attempts" < $5`;

const POSTED = `UPDATE "StandupSchedule" SET "postedSlot" = ${UTC(2)}, "updatedAt" = now() AT TIME ZONE 'UTC'
WHERE id = $1 AND ("postedSlot" IS NULL OR "postedSlot" < ${UTC(2)})`;

const GIVE_UP = `UPDATE "StandupSchedule" SET "attempts" = $3, "updatedAt" = now() AT TIME ZONE 'UTC' WHERE id = $1 AND "lastSlot" = ${UTC(2)}`;

export class ScheduleStore {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * One schedule per channel: setting it again replaces days, time and zone and switches it on. Slots
   * count from `now`, so today's time already past doesn't fire the moment it is set.
   */
  set(input: ScheduleInput): Promise<Schedule> {
    const fields = { days: input.days, time: input.time, timeZone: input.timeZone, createdBy: input.createdBy, active: true, activeSince: input.now };
    return this.prisma.standupSchedule.upsert({
      where: { slackTeamId_channelId: { slackTeamId: input.slackTeamId, channelId: input.channelId } },
      create: { slackTeamId: input.slackTeamId, channelId: input.channelId, ...fields },
      update: fields,
    });
  }

  get(slackTeamId: string, channelId: string): Promise<Schedule | null> {
    return this.prisma.standupSchedule.findUnique({ where: { slackTeamId_channelId: { slackTeamId, channelId } } });
  }

  /** Switches it off (the row stays, so `schedule` can say what it was). Returns the schedule as it was, if it was on. */
  async stop(slackTeamId: string, channelId: string): Promise<Schedule | undefined> {
    const found = await this.get(slackTeamId, channelId);
    if (!found?.active) return undefined;
    const { count } = await this.prisma.standupSchedule.updateMany({ where: { id: found.id, active: true }, data: { active: false } });
    return count === 1 ? found : undefined;
  }

  active(): Promise<Schedule[]> {
    return this.prisma.standupSchedule.findMany({ where: { active: true }, orderBy: { createdAt: "asc" } });
  }

  /** True for the one caller that moved lastSlot to `slot`. */
  async claim(id: string, slot: Date, now: Date): Promise<boolean> {
    return (await this.prisma.$executeRawUnsafe(CLAIM, id, slot.toISOString(), now.toISOString())) === 1;
  }

  /** True for the one caller that takes over a claim older than `leaseMs` whose post never landed. */
  async reclaim(id: string, slot: Date, now: Date, leaseMs: number, maxAttempts: number): Promise<boolean> {
    const staleBefore = new Date(now.getTime() - leaseMs);
    return (await this.prisma.$executeRawUnsafe(RECLAIM, id, slot.toISOString(), now.toISOString(), staleBefore.toISOString(), maxAttempts)) === 1;
  }

  async markPosted(id: string, slot: Date): Promise<void> {
    await this.prisma.$executeRawUnsafe(POSTED, id, slot.toISOString());
  }

  /** No more attempts at this slot (Slack refused it: retrying would be refused too). */
  async giveUp(id: string, slot: Date, maxAttempts: number): Promise<void> {
    await this.prisma.$executeRawUnsafe(GIVE_UP, id, slot.toISOString(), maxAttempts);
  }
}
