// "standup every weekday 9:30", "standup schedule", "standup off": read deterministically, with errors that say what was understood.
import { PiperError } from "../../errors.js";
import { formatTime } from "./times.js";

export interface ScheduleWhen {
  /** Local weekdays, 0 = Sunday … 6 = Saturday, ascending. */
  days: number[];
  hour: number;
  minute: number;
}

export type ScheduleCommand =
  | { kind: "set"; when: ScheduleWhen }
  | { kind: "show" }
  | { kind: "off" }
  /** A schedule command Piper couldn't read: `message` says what was understood and what to say instead. */
  | { kind: "invalid"; message: string };

/** What a schedule command can't be read as, in one sentence for the person who typed it. */
export class ScheduleParseError extends PiperError {
  readonly code = "SCHEDULE_UNREADABLE";
  constructor(readonly userMessage: string) {
    super(userMessage);
  }
}

const STANDUP = /^(?:daily\s+)?(?:stand-?ups?|stand\s+ups?)\b[\s,:]*/;
const SHOW = /^(?:schedule|schedules|when|show|show\s+(?:the\s+)?schedule|scheduled)$/;
const OFF = /^(?:off|stop|cancel|disable|unschedule|turn\s+off|switch\s+off)$/;
/** Words that open a schedule ("every …", "weekdays 9:30"); a day name, "on <day>" and "at <time>" are checked in opensSchedule. */
const SET = /^(?:every|each|daily|everyday|weekdays?|weekends?|workdays?)\b/;

/** "standup on mondays …" and "standup at 9:30" are schedules; "standup on web" and "standup monthly" are not. */
function opensSchedule(rest: string): boolean {
  if (SET.test(rest)) return true;
  const [first = "", second = ""] = rest.split(/[\s,&/+-]+/);
  if (dayNumber(first) !== undefined) return true;
  if (first === "on") return dayNumber(second) !== undefined || /^(?:weekdays?|weekends?|workdays?)$/.test(second);
  return first === "at" && /^(?:\d|noon|midday|midnight)/.test(second);
}

const EXAMPLES = "`every weekday 9:30`, `every day 9am` or `mon,wed,fri at 10:15`";

/**
 * The schedule command in a message that starts with "standup", or undefined when it isn't one (a
 * plain "standup", or "standup for web": the standup itself). Both the router and the slash listener
 * ask this one function, so a schedule command can never run a standup by accident.
 */
export function scheduleCommand(text: string): ScheduleCommand | undefined {
  const tidy = tidy_(text);
  const opening = STANDUP.exec(tidy);
  if (!opening) return undefined;
  const rest = tidy.slice(opening[0].length).replace(/[.!?]+$/, "").trim();
  if (rest === "") return undefined;
  if (SHOW.test(rest)) return { kind: "show" };
  if (OFF.test(rest)) return { kind: "off" };
  if (!opensSchedule(rest)) return undefined;
  try {
    return { kind: "set", when: parseWhen(rest) };
  } catch (err) {
    if (err instanceof ScheduleParseError) return { kind: "invalid", message: err.userMessage };
    throw err;
  }
}

function tidy_(text: string): string {
  return text
    .toLowerCase()
    .replace(/(^|\s)@?piper\b[,:]?/g, " ")
    .replace(/[’‘]/g, "'")
    .replace(/\s+/g, " ")
    .trim();
}

const DAY_NAMES: ReadonlyArray<readonly [RegExp, number]> = [
  [/^sun(?:day)?s?$/, 0],
  [/^mon(?:day)?s?$/, 1],
  [/^tue(?:s|sday)?s?$/, 2],
  [/^wed(?:s|nesday)?s?$/, 3],
  [/^thu(?:r|rs|rsday)?s?$/, 4],
  [/^fri(?:day)?s?$/, 5],
  [/^sat(?:urday)?s?$/, 6],
];
const WEEKDAYS = [1, 2, 3, 4, 5];
const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];

/**
 * "every weekday 9:30", "every day at 9am", "mon,wed,fri at 10:15", "weekdays at 17:00", "mon-fri 9".
 * The time comes last; the days before it.
 */
export function parseWhen(text: string): ScheduleWhen {
  const phrase = text.toLowerCase().replace(/\s+/g, " ").trim();
  const timeMatch = /(?:^|\s)(?:at\s+)?(\d{1,2}(?:[:.h]\d{1,2})?\s*(?:a\.?m\.?|p\.?m\.?)?|noon|midday|midnight)$/.exec(phrase);
  const daysText = (timeMatch ? phrase.slice(0, timeMatch.index) : phrase).replace(/\s+at$/, "").trim();
  const days = parseDays(daysText);
  const noTime = () => new ScheduleParseError(days ? `I understood '${daysText}' but not the time — say \`9:30\` or \`9:30am\`` : `I couldn't read '${phrase}' as a schedule — say ${EXAMPLES}`);
  if (!timeMatch) throw noTime();
  const time = parseClock(timeMatch[1]!);
  if (!time) {
    // A bare hour ("every day 9") could be morning or evening: ask for the time, not about the number.
    if (/^\d{1,2}$/.test(timeMatch[1]!.trim())) throw noTime();
    throw new ScheduleParseError(`'${timeMatch[1]!.trim()}' isn't a time of day — say \`9:30\` or \`9:30am\``);
  }
  if (!days) {
    throw new ScheduleParseError(
      daysText === ""
        ? `I understood the time (${formatTime(time.hour, time.minute)}) but not which days — say \`every weekday ${formatTime(time.hour, time.minute)}\`, \`every day …\` or \`mon,wed,fri at …\``
        : `I understood the time (${formatTime(time.hour, time.minute)}) but not the days '${daysText}' — say \`every weekday\`, \`every day\` or \`mon,wed,fri\``,
    );
  }
  return { days, ...time };
}

/** The days a phrase names, or undefined when any word of it isn't a day. */
function parseDays(text: string): number[] | undefined {
  const words = text
    .replace(/\b(?:every|each|on|and)\b/g, " ")
    .replace(/\s*-\s*|\s+(?:to|through|thru)\s+/g, "-")
    .split(/[\s,&/+]+/)
    .filter(Boolean);
  if (words.length === 0) return undefined;
  const days = new Set<number>();
  for (const word of words) {
    const found = dayWord(word);
    if (!found) return undefined;
    for (const d of found) days.add(d);
  }
  return [...days].sort((a, b) => a - b);
}

function dayWord(word: string): number[] | undefined {
  if (/^(?:day|days|daily|everyday)$/.test(word)) return EVERY_DAY;
  if (/^(?:weekday|weekdays|workday|workdays|working-?days?)$/.test(word)) return WEEKDAYS;
  if (/^(?:weekend|weekends)$/.test(word)) return [0, 6];
  const range = /^([a-z]+)-([a-z]+)$/.exec(word);
  if (range) {
    const from = dayNumber(range[1]!);
    const to = dayNumber(range[2]!);
    if (from === undefined || to === undefined) return undefined;
    const out: number[] = [];
    for (let d = from; ; d = (d + 1) % 7) {
      out.push(d);
      if (d === to) break;
    }
    return out;
  }
  const single = dayNumber(word);
  return single === undefined ? undefined : [single];
}

function dayNumber(word: string): number | undefined {
  return DAY_NAMES.find(([pattern]) => pattern.test(word))?.[1];
}

/** "9:30", "9.30", "9h30", "9am", "9:30 pm", "17:00", "noon"; undefined when it isn't a time of day. */
function parseClock(raw: string): { hour: number; minute: number } | undefined {
  const text = raw.replace(/\s+/g, "").replace(/\./g, (m, i: number, s: string) => (/\d/.test(s[i + 1] ?? "") ? ":" : ""));
  if (text === "noon" || text === "midday") return { hour: 12, minute: 0 };
  if (text === "midnight") return { hour: 0, minute: 0 };
  const m = /^(\d{1,2})(?:[:h](\d{1,2}))?(am|pm)?$/.exec(text);
  if (!m) return undefined;
  let hour = Number(m[1]);
  const minute = m[2] === undefined ? 0 : Number(m[2]);
  if (m[2] !== undefined && m[2].length !== 2) return undefined;
  // A bare number ("every day 9") is too easily a slip; a time needs minutes or am/pm.
  if (m[2] === undefined && m[3] === undefined) return undefined;
  if (minute > 59) return undefined;
  if (m[3]) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (m[3] === "pm" ? 12 : 0);
  } else if (hour > 23) return undefined;
  return { hour, minute };
}

const DAY_LABELS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** "every weekday at 9:30", "every day at 9:00", "every Monday, Wednesday and Friday at 10:15". */
export function describeWhen(days: readonly number[], time: string): string {
  return `${describeDays(days)} at ${time.replace(/^0(\d)/, "$1")}`;
}

export function describeDays(days: readonly number[]): string {
  const set = [...new Set(days)].sort((a, b) => a - b);
  if (set.length === 7) return "every day";
  if (set.join() === WEEKDAYS.join()) return "every weekday";
  if (set.join() === "0,6") return "every weekend day";
  const names = set.map((d) => DAY_LABELS[d]!);
  return `every ${names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`}`;
}

/** "HH:MM" as stored. */
export function storedTime(when: Pick<ScheduleWhen, "hour" | "minute">): string {
  return `${String(when.hour).padStart(2, "0")}:${String(when.minute).padStart(2, "0")}`;
}
