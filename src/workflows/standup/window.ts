// "Yesterday" for a standup: the previous working day in the channel's time zone, from its local midnight to today's. Monday covers Friday–Sunday.

import { civilDate, knownZone, startOfDay, type Civil } from "../../time/zoned-dates.js";

export interface StandupWindow {
  /** Inclusive: the local midnight that starts the previous working day. */
  from: Date;
  /** Exclusive: today's local midnight. */
  to: Date;
  /** The calendar dates covered, `YYYY-MM-DD`, oldest first (Friday, Saturday, Sunday on a Monday). */
  days: string[];
  /** Today's date in the zone, `YYYY-MM-DD`. */
  today: string;
  timeZone: string;
}


/**
 * The span since the start of the last working day (Monday to Friday) before today, up to today's start.
 * Monday → Friday 00:00 to Monday 00:00; Tuesday → Monday; Sunday → Friday and Saturday. A zone Intl
 * doesn't know is read as UTC (the answer then says which zone it used).
 */
export function standupWindow(now: Date, timeZone: string): StandupWindow {
  const zone = knownZone(timeZone);
  const today = civilDate(now.getTime(), zone);
  let start = addDays(today, -1);
  while (isWeekend(start)) start = addDays(start, -1);
  const days: string[] = [];
  for (let d = start; iso(d) !== iso(today); d = addDays(d, 1)) days.push(iso(d));
  return { from: new Date(startOfDay(start, zone)), to: new Date(startOfDay(today, zone)), days, today: iso(today), timeZone: zone };
}

/** "Fri 14 Mar – Sun 16 Mar" or "Mon 17 Mar": the header's date range. */
export function describeWindow(window: Pick<StandupWindow, "days">): string {
  const label = (day: string) => {
    const [y, m, d] = day.split("-").map(Number);
    return new Date(Date.UTC(y!, m! - 1, d!)).toLocaleDateString("en-GB", { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" });
  };
  const first = window.days[0]!;
  const last = window.days.at(-1)!;
  return first === last ? label(first) : `${label(first)} – ${label(last)}`;
}

/** Whether an ISO instant lies in the window. */
export function inWindow(at: string | null | undefined, window: Pick<StandupWindow, "from" | "to">): boolean {
  if (!at) return false;
  const t = Date.parse(at);
  return t >= window.from.getTime() && t < window.to.getTime();
}

function isWeekend(date: Civil): boolean {
  const day = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return day === 0 || day === 6;
}

function addDays(date: Civil, days: number): Civil {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function iso(date: Civil): string {
  return `${date.year}-${String(date.month).padStart(2, "0")}-${String(date.day).padStart(2, "0")}`;
}

