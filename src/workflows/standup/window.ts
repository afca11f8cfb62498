// "Yesterday" for a standup: the previous working day in the channel's time zone, from its local midnight to today's. Monday covers Friday–Sunday.

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

interface Civil {
  year: number;
  month: number;
  day: number;
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

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
    formatters.set(timeZone, format);
  }
  return format;
}

function knownZone(timeZone: string): string {
  try {
    formatter(timeZone);
    return timeZone;
  } catch {
    return "UTC";
  }
}

function wallClock(ms: number, timeZone: string): Civil & { hour: number; minute: number; second: number } {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(ms))) if (part.type !== "literal") parts[part.type] = Number(part.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

function civilDate(ms: number, timeZone: string): Civil {
  const { year, month, day } = wallClock(ms, timeZone);
  return { year, month, day };
}

function offsetAt(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - (ms - (((ms % 1000) + 1000) % 1000));
}

/** A date's first instant in a zone: local midnight, or — where DST skips midnight — the first instant on that date. */
function startOfDay(date: Civil, timeZone: string): number {
  const asUtc = Date.UTC(date.year, date.month - 1, date.day);
  const guess = offsetAt(asUtc, timeZone);
  const first = asUtc - guess;
  const firstOffset = offsetAt(first, timeZone);
  if (firstOffset === guess) return first;
  const second = asUtc - firstOffset;
  for (const candidate of [Math.min(first, second), Math.max(first, second)]) {
    const local = civilDate(candidate, timeZone);
    if (local.year === date.year && local.month === date.month && local.day === date.day) return candidate;
  }
  return first;
}
