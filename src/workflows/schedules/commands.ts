// `standup every weekday 9:30` / `standup schedule` / `standup off`: the answers, in the channel, from the schedule's row.
import type { Logger } from "../../logger.js";
import { reply, type Reply } from "../../routing/router.js";
import type { Inbound } from "../../slack/inbound.js";
import { describeWhen, storedTime, type ScheduleCommand } from "./parse.js";
import type { Schedule, ScheduleStore } from "./store.js";
import { describeInstant, isTimeZone, nextSlot } from "./times.js";

export interface StandupScheduleCommandsDeps {
  store: ScheduleStore;
  /** The person's Slack time zone (users.info `tz`); undefined when Slack doesn't say. */
  timeZoneOf: (user: string) => Promise<string | undefined>;
  /** PIPER_TIME_ZONE: the zone when the person's can't be read. */
  fallbackTimeZone: string;
  /** False until the standup itself is built into this Piper: setting a schedule is then refused. */
  available: () => boolean;
  logger: Logger;
  now?: () => Date;
}

/** Said when a schedule is asked for but this Piper has no standup to run on it. */
export const STANDUPS_UNAVAILABLE =
  "I can't schedule standups here yet: the standup itself isn't available in this Piper. `/piper standup schedule` and `/piper standup off` still work for schedules set before.";

export class StandupScheduleCommands {
  constructor(private readonly deps: StandupScheduleCommandsDeps) {}

  async handle(command: ScheduleCommand, inbound: Inbound): Promise<Reply> {
    const now = (this.deps.now ?? (() => new Date()))();
    switch (command.kind) {
      case "invalid":
        return reply(command.message);
      case "show":
        return reply(this.#show(await this.deps.store.get(inbound.territory, inbound.room.id), now));
      case "off": {
        const stopped = await this.deps.store.stop(inbound.territory, inbound.room.id);
        return reply(
          stopped
            ? `Scheduled standups are off in this channel (it was ${whenOf(stopped)}). \`/piper standup every weekday 9:30\` sets one again.`
            : "There's no scheduled standup in this channel to stop.",
        );
      }
      case "set": {
        if (!this.deps.available()) return reply(STANDUPS_UNAVAILABLE);
        const { zone, fellBack } = await this.#zoneOf(inbound.user);
        const schedule = await this.deps.store.set({
          slackTeamId: inbound.territory,
          channelId: inbound.room.id,
          days: command.when.days,
          time: storedTime(command.when),
          timeZone: zone,
          createdBy: inbound.user,
          now,
        });
        const next = nextSlot(schedule, now);
        return reply(
          [
            `Scheduled: a standup in this channel ${whenOf(schedule)}.`,
            fellBack ? `_Slack didn't tell me your time zone, so I used ${zone}._` : "",
            next ? `The first one is ${describeInstant(next, zone)}.` : "",
            "`/piper standup schedule` shows it; `/piper standup off` stops it.",
          ]
            .filter(Boolean)
            .join(" "),
        );
      }
    }
  }

  #show(schedule: Schedule | null, now: Date): string {
    if (!schedule) return "This channel has no scheduled standup. `/piper standup every weekday 9:30` sets one (in your time zone).";
    if (!schedule.active) return `This channel's scheduled standup is off (it was ${whenOf(schedule)}). \`/piper standup every weekday 9:30\` sets one again.`;
    const next = nextSlot(schedule, now);
    return [
      `This channel has a standup ${whenOf(schedule)}.`,
      next ? `The next one is ${describeInstant(next, schedule.timeZone)}.` : "",
      !this.deps.available() ? "_The standup itself isn't available in this Piper right now, so nothing will be posted._" : "",
      "`/piper standup off` stops it.",
    ]
      .filter(Boolean)
      .join(" ");
  }

  /** Slack channels have no time zone: the schedule keeps the zone of whoever set it. */
  async #zoneOf(user: string): Promise<{ zone: string; fellBack: boolean }> {
    const tz = await this.deps.timeZoneOf(user).catch((err: unknown) => {
      this.deps.logger.warn({ err, user }, "could not read the person's time zone; using PIPER_TIME_ZONE");
      return undefined;
    });
    return tz && isTimeZone(tz) ? { zone: tz, fellBack: false } : { zone: this.deps.fallbackTimeZone, fellBack: true };
  }
}

/** "every weekday at 9:30 (Europe/Berlin)". */
function whenOf(schedule: Pick<Schedule, "days" | "time" | "timeZone">): string {
  return `${describeWhen(schedule.days, schedule.time)} (${schedule.timeZone})`;
}
