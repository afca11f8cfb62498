// The things a message names — repos, known projects, people, rooms, links, dates, an issue title —
// read from a normalized message, so every classifier and handler sees the same entities.
import type { NormalizedText } from "../slack/message-text.js";
import type { DateRange, Entities } from "./intent.js";
import { civilDate, knownZone, startOfDay, type Civil } from "../time/zoned-dates.js";

export interface EntityContext {
  /** Project names Piper knows, as stored. */
  knownProjects: string[];
  now: Date;
  /** IANA zone the dates are read in (the asker's, from Slack); an unknown zone reads as UTC. */
  timeZone: string;
  /** Piper's own user id, left out of `people`. */
  botUserId?: string;
}

export function extractEntities(message: NormalizedText, context: EntityContext): Entities {
  const text = message.text;
  const entities: Entities = {
    repos: findRepos(text, message.links),
    projects: findProjects(text, context.knownProjects),
    people: message.people.filter((id) => id !== context.botUserId),
    rooms: message.rooms.map((room) => ({ ...room })),
    links: message.links.map((link) => ({ ...link })),
    dates: findDates(text, context.now, context.timeZone),
  };
  const issueTitle = findIssueTitle(text);
  if (issueTitle) entities.issueTitle = issueTitle;
  return entities;
}

// ── Repos ───────────────────────────────────────────────────────────────────────────────────────

/**
 * `owner/name` by GitHub's rules, or a github.com URL (which may have more path after the repo).
 * The lookbehind keeps out the middle of paths and URLs (`a/b/c`, `example.com/x`), `@scope/pkg`
 * and `#room/x`; the lookahead keeps out paths with a second slash.
 */
const REPO =
  /(?<![\w.\/@#:~-])(?:(?:https?:\/\/)?(?:www\.)?github\.com\/([A-Za-z0-9-]{1,39})\/([A-Za-z0-9._-]{1,100})|([A-Za-z0-9-]{1,39})\/([A-Za-z0-9._-]{1,100})(?![\w\/-]|\.[\w\/-]))/g;
const GITHUB_URL = /^https?:\/\/(?:www\.)?github\.com\/([A-Za-z0-9-]{1,39})\/([A-Za-z0-9._-]{1,100})(?:[\/?#]|$)/i;
/** Slash-words that look like repos: shorthand, pronouns, pairs. Anything with both sides ≤ 2 characters is already out (w/o, n/a, ui/ux). */
const NOT_REPOS = new Set(["and/or", "either/or", "yes/no", "on/off", "true/false", "read/write", "input/output", "he/him", "she/her", "they/them", "his/her", "him/her", "client/server", "pass/fail"]);
/** First path segments on github.com that are pages, not owners. */
const GITHUB_PAGES = new Set(["orgs", "settings", "features", "marketplace", "pulls", "issues", "notifications", "explore", "topics", "sponsors", "login", "about", "pricing", "enterprise", "apps", "collections", "trending", "search", "new", "organizations", "users", "site", "security", "customer-stories", "readme"]);
/** Common first directories of single-slash file paths (`src/index.ts`), which are not owners. */
const PATH_ROOTS = new Set(["src", "lib", "test", "tests", "docs", "dist", "build", "bin", "scripts", "node_modules"]);

function findRepos(text: string, links: NormalizedText["links"]): string[] {
  const repos: string[] = [];
  const add = (repo: string | undefined) => {
    if (repo && !repos.some((known) => known.toLowerCase() === repo.toLowerCase())) repos.push(repo);
  };
  for (const match of text.matchAll(REPO)) {
    if (match[1] !== undefined) add(githubRepo(match[1], match[2]!));
    else add(plainRepo(match[3]!, match[4]!));
  }
  // Labelled links show only their label in the text; their URLs can name a repo too.
  for (const link of links) {
    const url = GITHUB_URL.exec(link.url);
    if (url) add(githubRepo(url[1]!, url[2]!));
  }
  return repos;
}

function githubRepo(owner: string, name: string): string | undefined {
  const repo = name.replace(/\.git$/i, "").replace(/\.+$/, "");
  if (GITHUB_PAGES.has(owner.toLowerCase()) || !validOwner(owner) || !validName(repo)) return undefined;
  return `${owner}/${repo}`;
}

function plainRepo(owner: string, rawName: string): string | undefined {
  const name = rawName.replace(/\.+$/, ""); // "look at acme/web." — the full stop ends the sentence
  if (!validOwner(owner) || !validName(name)) return undefined;
  if (owner.length <= 2 && name.length <= 2) return undefined;
  if (/^\d+$/.test(owner) && /^\d+$/.test(name)) return undefined; // dates and fractions: 10/12, 24/7
  if (NOT_REPOS.has(`${owner}/${name}`.toLowerCase()) || PATH_ROOTS.has(owner.toLowerCase())) return undefined;
  return `${owner}/${name}`;
}

/** GitHub owners: letters, digits and single hyphens, not at either end. */
function validOwner(owner: string): boolean {
  return /^[A-Za-z0-9](?:-?[A-Za-z0-9])*$/.test(owner);
}

function validName(name: string): boolean {
  return name.length > 0 && name !== "." && name !== "..";
}

// ── Projects ────────────────────────────────────────────────────────────────────────────────────

/** The last compiled matcher: the known projects rarely change between messages. */
let projectMatcher: { key: string; pattern: RegExp; byKey: Map<string, string> } | undefined;

function findProjects(text: string, knownProjects: string[]): string[] {
  const names = knownProjects.filter((name) => name.trim().length > 0);
  if (names.length === 0) return [];
  const key = names.join("\u0000");
  if (projectMatcher?.key !== key) {
    const byKey = new Map<string, string>();
    for (const name of names) if (!byKey.has(projectKey(name))) byKey.set(projectKey(name), name);
    // Longest first, so "mobile app" wins over "mobile" where both match at the same place.
    const alternatives = [...byKey.keys()]
      .sort((a, b) => b.length - a.length)
      .map((name) => name.split(" ").map(escapeRegExp).join("\\s+"));
    // Whole words only, and not inside a slug, path, handle or channel name ("acme/web", "web-app", "#web").
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}_/.@#-])(?:${alternatives.join("|")})(?![\\p{L}\\p{N}_/-]|\\.[\\p{L}\\p{N}])`, "giu");
    projectMatcher = { key, pattern, byKey };
  }
  const found: string[] = [];
  for (const match of text.matchAll(projectMatcher.pattern)) {
    const name = projectMatcher.byKey.get(projectKey(match[0]));
    if (name && !found.includes(name)) found.push(name);
  }
  return found;
}

function projectKey(name: string): string {
  return name.trim().replace(/\s+/g, " ").toLowerCase();
}

function escapeRegExp(text: string): string {
  // Only syntax characters: in a /u pattern an escaped "-" or other letter is itself a SyntaxError.
  return text.replace(/[.*+?^${}()|[\]\\\/]/g, "\\$&");
}

// ── Dates ───────────────────────────────────────────────────────────────────────────────────────

const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const COUNTS: Readonly<Record<string, number>> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, fourteen: 14, thirty: 30 };
const DAY_OFFSETS: Readonly<Record<string, number>> = { today: 0, yesterday: -1, tomorrow: 1 };
const SHIFTS: Readonly<Record<string, number>> = { this: 0, last: -1, next: 1 };
const DAY = WEEKDAYS.join("|");
/**
 * Every phrase in one alternation, scanned left to right: a prefixed form ("by friday", "last week")
 * starts before its bare word, so it always wins. "this sprint" matches nothing: sprints are
 * a project's, not the calendar's.
 */
const DATE = new RegExp(
  `\\b(?:(today|yesterday|tomorrow)|(this|last|next)\\s+(week|month)|(by|on|last|this|next|since)\\s+(${DAY})|(${DAY})|(?:last|past)\\s+(\\d{1,3}|${Object.keys(COUNTS).join("|")})\\s+days?)\\b`,
  "gi",
);


function findDates(text: string, now: Date, timeZone: string): DateRange[] {
  // Most messages name no date: skip the clock work. (search, unlike test, leaves DATE.lastIndex alone for matchAll.)
  if (text.search(DATE) < 0) return [];
  const zone = knownZone(timeZone);
  const today = civilDate(now.getTime(), zone);
  const weekday = dayOfWeek(today);
  const monday = addDays(today, -((weekday + 6) % 7)); // weeks start on Monday
  const range = (phrase: string, from: Civil, to: Civil): DateRange => ({
    phrase,
    from: new Date(startOfDay(from, zone)).toISOString(),
    to: new Date(startOfDay(to, zone)).toISOString(),
  });

  const dates: DateRange[] = [];
  for (const match of text.matchAll(DATE)) {
    const [phrase, relativeDay, which, unit, prefix, prefixedDay, bareDay, count] = match;
    if (relativeDay) {
      const offset = DAY_OFFSETS[relativeDay.toLowerCase()] ?? 0;
      dates.push(range(phrase, addDays(today, offset), addDays(today, offset + 1)));
    } else if (which && unit) {
      const shift = SHIFTS[which.toLowerCase()] ?? 0;
      if (unit.toLowerCase() === "week") dates.push(range(phrase, addDays(monday, 7 * shift), addDays(monday, 7 * (shift + 1))));
      else dates.push(range(phrase, addMonths(today, shift), addMonths(today, shift + 1)));
    } else if (prefix && prefixedDay) {
      const target = WEEKDAYS.indexOf(prefixedDay.toLowerCase());
      const kind = prefix.toLowerCase();
      if (kind === "by") {
        // A deadline: from today through the end of that day; today counts if it is that day.
        dates.push(range(phrase, today, addDays(nextWeekday(today, target, true), 1)));
      } else if (kind === "since") {
        const start = addDays(today, -((weekday - target + 7) % 7)); // the latest such day, today included
        dates.push(range(phrase, start, addDays(today, 1)));
      } else if (kind === "last") {
        const day = addDays(today, -((weekday - target + 7) % 7 || 7)); // strictly before today
        dates.push(range(phrase, day, addDays(day, 1)));
      } else {
        const day = nextWeekday(today, target, false);
        dates.push(range(phrase, day, addDays(day, 1)));
      }
    } else if (bareDay) {
      const day = nextWeekday(today, WEEKDAYS.indexOf(bareDay.toLowerCase()), false);
      dates.push(range(phrase, day, addDays(day, 1)));
    } else if (count) {
      const days = COUNTS[count.toLowerCase()] ?? Number(count);
      // Whole days back from today's midnight through the end of today, so nothing from the last N×24 hours is missed.
      if (days > 0) dates.push(range(phrase, addDays(today, -days), addDays(today, 1)));
    }
  }
  return dates;
}

/** The next date that is `target` (0 = Sunday): today itself only when `todayCounts`. */
function nextWeekday(today: Civil, target: number, todayCounts: boolean): Civil {
  const ahead = (target - dayOfWeek(today) + 7) % 7;
  return addDays(today, ahead === 0 && !todayCounts ? 7 : ahead);
}

function dayOfWeek(date: Civil): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

function addDays(date: Civil, days: number): Civil {
  return fromUtc(Date.UTC(date.year, date.month - 1, date.day + days));
}

/** The first of the month `months` away from `date`'s. */
function addMonths(date: Civil, months: number): Civil {
  return fromUtc(Date.UTC(date.year, date.month - 1 + months, 1));
}

function fromUtc(ms: number): Civil {
  const d = new Date(ms);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

// ── Issue title ─────────────────────────────────────────────────────────────────────────────────

/** "create an issue", "file a bug", "open a ticket", "new issue", "raise a bug report", … */
const ISSUE_REQUEST =
  /\b(?:(?:create|file|open|raise|log|submit|add|make|write(?:\s+up)?|start)\s+(?:(?:a|an|the|one|another)\s+)?(?:new\s+)?|new\s+)(?:github\s+|gh\s+)?(?:issue|bug(?:\s+report)?|ticket|task)\b/i;
/** A separator, optionally after a short "in acme/web" / "for mobile app": the title follows it. */
const AFTER_SEPARATOR = /^(?:\s+(?:in|on|for|under|against)\s+[^\s:—–]+(?:\s+[^\s:—–]+){0,2})?\s*(?::|—|–|--|\s-(?=\s))\s*(.+)$/;
const QUOTED = /^\s+(?:(?:for|about|called|titled|named|saying)\s+)?(["“'‘`])(.+?)["”'’`]/;
const AFTER_WORD = /^\s+(?:for|about|called|titled|named|saying|that says)\s+(.+)$/i;

function findIssueTitle(text: string): string | undefined {
  const request = ISSUE_REQUEST.exec(text);
  if (!request) return undefined;
  const rest = text.slice(request.index + request[0].length);
  const quoted = QUOTED.exec(rest);
  const raw = quoted ? quoted[2] : (AFTER_SEPARATOR.exec(rest)?.[1] ?? AFTER_WORD.exec(rest)?.[1]);
  if (raw === undefined) return undefined;
  const title = raw
    .split(/(?<=[.!?])\s/)[0]! // the first sentence: what follows is usually a second request
    .replace(/[\s.,;:!?…]+$/, "")
    .replace(/^\s*["“'‘`](.*)["”'’`]$/, "$1")
    .replace(/[\s.,;:!?…]+$/, "")
    .trim();
  return title.length > 0 ? title : undefined;
}
