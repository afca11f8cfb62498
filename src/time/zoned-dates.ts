// Calendar dates and wall clocks in an IANA time zone, with Intl only (no time-zone library): what "yesterday", "by
// Friday" and a standup's previous working day are computed with, correct across DST changes.

/** A calendar date, months 1-12; arithmetic on it goes through Date.UTC, which normalizes overflow. */
export interface Civil {
  year: number;
  month: number;
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, format);
  }
  return format;
}

export function knownZone(timeZone: string): string {
  try {
    formatter(timeZone);
    return timeZone;
  } catch {
    return "UTC"; // a zone Intl doesn't know: reading dates in UTC beats failing the message
  }
}

/** True for a zone name Intl knows ("Europe/Berlin", "UTC"). */
export function isTimeZone(name: string): boolean {
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock reading of an instant in a zone. */
export function wallClock(ms: number, timeZone: string): Civil & { hour: number; minute: number; second: number } {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

export function civilDate(ms: number, timeZone: string): Civil {
  const { year, month, day } = wallClock(ms, timeZone);
  return { year, month, day };
}

/** How far the zone's wall clock is ahead of UTC at an instant, in ms. */
export function offsetAt(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - (ms - (((ms % 1000) + 1000) % 1000));
}

/** Day starts already worked out, by zone and date: Intl is the slow part, and the same days recur. */
const dayStarts = new Map<string, number>();
const DAY_STARTS_KEPT = 2_000;

/**
 * The instant a calendar date begins in a zone: its local midnight, or — where a DST change skips
 * midnight (e.g. America/Santiago) — the first instant that is on that date.
 */
export function startOfDay(date: Civil, timeZone: string): number {
  const key = `${timeZone} ${date.year}-${date.month}-${date.day}`;
  const known = dayStarts.get(key);
  if (known !== undefined) return known;
  if (dayStarts.size >= DAY_STARTS_KEPT) dayStarts.clear();
  const start = computeStartOfDay(date, timeZone);
  dayStarts.set(key, start);
  return start;
}

function computeStartOfDay(date: Civil, timeZone: string): number {
  const asUtc = Date.UTC(date.year, date.month - 1, date.day);
  const guessOffset = offsetAt(asUtc, timeZone);
  const first = asUtc - guessOffset;
  const firstOffset = offsetAt(first, timeZone);
  if (firstOffset === guessOffset) return first; // the wall clock at `first` reads exactly 00:00 that day
  const second = asUtc - firstOffset;
  // Around a change, one of the two can land on the day before; the earlier one on the day wins.
  for (const candidate of [Math.min(first, second), Math.max(first, second)]) {
    const local = civilDate(candidate, timeZone);
    if (local.year === date.year && local.month === date.month && local.day === date.day) return candidate;
  }
  return first;
}
