// Wall-clock time in an IANA zone ↔ instants, with Intl only: when a schedule's slot is due, and when the next one is.
import { offsetAt, wallClock } from "../../time/zoned-dates.js";

export { isTimeZone } from "../../time/zoned-dates.js";

/** What a schedule needs to place its slots. `days`: local weekdays, 0 = Sunday … 6 = Saturday. */
export interface SlotRule {
  days: readonly number[];
  /** "HH:MM", 24-hour. */
  time: string;
  timeZone: string;
  /** Slots before this instant don't count (the schedule did not exist, or was off). */
  activeSince: Date;
}

export interface ZonedParts {
  year: number;
  month: number;
  day: number;
  weekday: number;
  hour: number;
  minute: number;
}

/** The wall clock in `timeZone` at `instant` (to the minute), with its weekday. */
export function zonedParts(instant: Date, timeZone: string): ZonedParts {
  const { year, month, day, hour, minute } = wallClock(instant.getTime(), timeZone);
  return { year, month, day, weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(), hour, minute };
}

/**
 * The instant the wall clock in `timeZone` shows this date and time. Across a DST change the offset
 * is read twice; a time that doesn't exist that day (spring forward) lands on the hour after the gap.
 */
export function zonedInstant(date: { year: number; month: number; day: number }, hour: number, minute: number, timeZone: string): Date {
  const wall = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  return new Date(second);
}

export function parseTime(time: string): { hour: number; minute: number } {
  const [h, m] = time.split(":");
  return { hour: Number(h), minute: Number(m) };
}

/** The local date `days` after the one given (calendar arithmetic, no zone involved). */
function addDays(date: { year: number; month: number; day: number }, days: number): { year: number; month: number; day: number; weekday: number } {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay() };
}

/**
 * The slot due at `now`: today's (in the schedule's zone) when today is one of its days and the time
 * has come. Earlier days' slots are never due — after downtime only today's missed slot runs, once.
 */
export function dueSlot(rule: SlotRule, now: Date): Date | undefined {
  const today = zonedParts(now, rule.timeZone);
  if (!rule.days.includes(today.weekday)) return undefined;
  const { hour, minute } = parseTime(rule.time);
  const slot = zonedInstant(today, hour, minute, rule.timeZone);
  // The slot's own local date must be today: a DST gap could push it across midnight.
  if (slot > now || slot < rule.activeSince || zonedParts(slot, rule.timeZone).day !== today.day) return undefined;
  return slot;
}

/** The first slot after `now` (within the next week; undefined for a schedule without days). */
export function nextSlot(rule: SlotRule, now: Date): Date | undefined {
  const today = zonedParts(now, rule.timeZone);
  const { hour, minute } = parseTime(rule.time);
  for (let i = 0; i <= 7; i++) {
    const date = addDays(today, i);
    if (!rule.days.includes(date.weekday)) continue;
    const slot = zonedInstant(date, hour, minute, rule.timeZone);
    if (slot > now && slot >= rule.activeSince) return slot;
  }
  return undefined;
}

/** "Monday 3 March at 9:30", in the schedule's zone. */
export function describeInstant(instant: Date, timeZone: string): string {
  const date = new Intl.DateTimeFormat("en-GB", { timeZone, weekday: "long", day: "numeric", month: "long" }).format(instant);
  const p = zonedParts(instant, timeZone);
  return `${date.replace(",", "")} at ${formatTime(p.hour, p.minute)}`;
}

export function formatTime(hour: number, minute: number): string {
  return `${hour}:${String(minute).padStart(2, "0")}`;
}
