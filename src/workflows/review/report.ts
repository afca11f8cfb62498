// A review of a repository's open work, computed from GitHub's lists: by label and age, the oldest, the most discussed,
// what nobody owns, and what has gone stale. Pure: the same lists and clock give the same report.
import { blockerLabel } from "../../handlers/project-scope.js";

/** The fields a review reads of an issue or pull request (what the engine stores with the run). */
export interface ReviewItem {
  number: number;
  title: string;
  url: string;
  labels: string[];
  assignees: string[];
  createdAt: string;
  updatedAt: string;
  comments?: number;
  draft?: boolean;
}

/** Which question the review answers: the open issues, the open pull requests, or what has gone quiet. */
export type ReviewFocus = "issues" | "pulls" | "stale";

export interface ReviewOptions {
  now: Date;
  /** No activity for this many days makes an item stale. */
  staleDays: number;
  focus: ReviewFocus;
  /** Only issues carrying one of these labels (what the message named: "open bugs"). */
  labels?: string[];
}

export interface AgeCounts {
  week: number;
  month: number;
  quarter: number;
  older: number;
}

export interface Theme {
  label: string;
  count: number;
  ages: AgeCounts;
}

export interface Listed {
  count: number;
  /** The first few, in the order that matters for the list. */
  items: ReviewItem[];
}

export interface ReviewReport {
  focus: ReviewFocus;
  staleDays: number;
  labels: string[];
  openIssues: number;
  /** Undefined when the pull requests couldn't be read. */
  openPulls?: number;
  themes: Theme[];
  ages: AgeCounts;
  oldest: ReviewItem[];
  mostDiscussed: ReviewItem[];
  unassigned: Listed;
  blocked: Listed;
  staleIssues: Listed;
  stalePulls?: Listed;
  oldestPulls?: ReviewItem[];
  draftPulls?: number;
}

export const TOP = 5;
const DAY_MS = 86_400_000;
export const UNLABELLED = "no label";

/** Labels that rank or size work rather than say what it is about: left out of the themes. */
const NOT_A_THEME = /^(?:p[0-4]|priority\b.*|prio\b.*|size\b.*|points?\b.*|estimate\b.*|critical|urgent|high|medium|low|blocked|blocker)$/i;

export function isTheme(label: string): boolean {
  return !NOT_A_THEME.test(label.trim());
}

export function reviewReport(issues: ReviewItem[], pulls: ReviewItem[] | undefined, options: ReviewOptions): ReviewReport {
  const { now, staleDays } = options;
  const wanted = (options.labels ?? []).map((l) => l.toLowerCase());
  const open = wanted.length === 0 ? issues : issues.filter((i) => i.labels.some((l) => wanted.includes(l.toLowerCase())));
  const age = (i: ReviewItem) => (now.getTime() - Date.parse(i.createdAt)) / DAY_MS;
  const idle = (i: ReviewItem) => (now.getTime() - Date.parse(i.updatedAt)) / DAY_MS;
  const byAge = (a: ReviewItem, b: ReviewItem) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.number - b.number;
  const byIdle = (a: ReviewItem, b: ReviewItem) => Date.parse(a.updatedAt) - Date.parse(b.updatedAt) || a.number - b.number;

  const themes = new Map<string, ReviewItem[]>();
  for (const issue of open) {
    const labels = issue.labels.filter(isTheme);
    for (const label of labels.length > 0 ? labels : [UNLABELLED]) themes.set(label, [...(themes.get(label) ?? []), issue]);
  }
  const listed = (items: ReviewItem[], order: (a: ReviewItem, b: ReviewItem) => number): Listed => ({ count: items.length, items: [...items].sort(order).slice(0, TOP) });

  const report: ReviewReport = {
    focus: options.focus,
    staleDays,
    labels: options.labels ?? [],
    openIssues: open.length,
    themes: [...themes.entries()]
      .map(([label, items]) => ({ label, count: items.length, ages: ageCounts(items.map(age)) }))
      // The biggest first; "no label" last among equals, then by name so the order never depends on GitHub's.
      .sort((a, b) => b.count - a.count || Number(a.label === UNLABELLED) - Number(b.label === UNLABELLED) || a.label.localeCompare(b.label)),
    ages: ageCounts(open.map(age)),
    oldest: [...open].sort(byAge).slice(0, TOP),
    mostDiscussed: open.filter((i) => (i.comments ?? 0) > 0).sort((a, b) => (b.comments ?? 0) - (a.comments ?? 0) || byAge(a, b)).slice(0, TOP),
    unassigned: listed(open.filter((i) => i.assignees.length === 0), byAge),
    blocked: listed(open.filter((i) => blockerLabel(i.labels) !== undefined), byAge),
    staleIssues: listed(open.filter((i) => idle(i) >= staleDays), byIdle),
  };
  if (pulls) {
    report.openPulls = pulls.length;
    report.stalePulls = listed(pulls.filter((p) => idle(p) >= staleDays), byIdle);
    report.oldestPulls = [...pulls].sort(byAge).slice(0, TOP);
    report.draftPulls = pulls.filter((p) => p.draft).length;
  }
  return report;
}

function ageCounts(days: number[]): AgeCounts {
  const counts: AgeCounts = { week: 0, month: 0, quarter: 0, older: 0 };
  for (const d of days) {
    if (d < 7) counts.week++;
    else if (d < 30) counts.month++;
    else if (d < 90) counts.quarter++;
    else counts.older++;
  }
  return counts;
}

/** Whole days since `iso`. */
export function daysSince(iso: string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(iso)) / DAY_MS));
}
