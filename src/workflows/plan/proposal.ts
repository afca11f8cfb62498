// The next sprint as a proposal: a velocity budget from what closed lately, filled by priority label then age. Pure:
// the same lists and clock give the same proposal. It decides nothing — it is shown, and nothing is written.
import { blockerLabel } from "../../handlers/project-scope.js";
import { priorityTier } from "../../handlers/priority.js";

export interface PlanIssue {
  number: number;
  title: string;
  url: string;
  labels: string[];
  assignees: string[];
  createdAt: string;
  milestone?: string | null;
}

export interface ClosedIssue {
  number: number;
  closedAt: string | null;
  labels: string[];
}

export interface PlanMilestone {
  title: string;
  url: string;
  dueOn: string | null;
}

export interface PlanOptions {
  now: Date;
  /** How long a sprint is when no milestone's due date says. */
  sprintDays: number;
  /** The velocity window, in weeks. */
  weeks?: number;
}

export interface Velocity {
  weeks: number;
  /** Issues closed in the window. */
  closed: number;
  /** "points" when closed issues carried sizes; "issues" otherwise (each issue counts one). */
  unit: "points" | "issues";
  /** Points (or issues) closed in the window. */
  done: number;
  perWeek: number;
  /** In points: what an issue without a size counts as (the median of the sized ones that closed). */
  unsizedAs?: number;
}

export interface Picked {
  issue: PlanIssue;
  cost: number;
  /** Whether `cost` came from the issue's own size label. */
  sized: boolean;
  why: string;
}

export interface LeftOut {
  issue: PlanIssue;
  why: string;
}

export interface Proposal {
  milestone?: PlanMilestone;
  /** How many days the sprint runs: to the milestone's due date, or the configured sprint length. */
  days: number;
  velocity?: Velocity;
  budget: number;
  used: number;
  picked: Picked[];
  leftOut: LeftOut[];
  /** Candidates in the order they were considered (for a project with no velocity to budget by). */
  ranked: PlanIssue[];
}

const DAY_MS = 86_400_000;
const SIZES: Record<string, number> = { xs: 1, s: 2, m: 3, l: 5, xl: 8, xxl: 13 };

/** An issue's size in points: `points:3`, `sp:3`, `estimate:3`, or `size:S` (XS 1, S 2, M 3, L 5, XL 8). */
export function pointsOf(labels: string[]): number | undefined {
  for (const label of labels) {
    const l = label.trim().toLowerCase();
    const points = /^(?:points?|pts|sp|story\s*points|estimate)\s*[:/_ -]\s*(\d+(?:\.\d+)?)$/.exec(l);
    if (points) return Number(points[1]);
    const size = /^size\s*[:/_ -]\s*(xxl|xl|xs|s|m|l)$/.exec(l);
    if (size) return SIZES[size[1]!];
  }
  return undefined;
}

/** Issues closed per week over the last `weeks` weeks, in points when closed issues were sized. */
export function velocity(closed: ClosedIssue[], now: Date, weeks = 4): Velocity {
  const since = now.getTime() - weeks * 7 * DAY_MS;
  const recent = closed.filter((c) => c.closedAt !== null && Date.parse(c.closedAt) >= since && Date.parse(c.closedAt) <= now.getTime());
  const sizes = recent.map((c) => pointsOf(c.labels)).filter((p): p is number => p !== undefined);
  if (sizes.length === 0) return { weeks, closed: recent.length, unit: "issues", done: recent.length, perWeek: recent.length / weeks };
  const unsizedAs = median(sizes);
  const done = sizes.reduce((a, b) => a + b, 0) + (recent.length - sizes.length) * unsizedAs;
  return { weeks, closed: recent.length, unit: "points", done, perWeek: done / weeks, unsizedAs };
}

/** The milestone the plan aims at: the open one due soonest from now, else one with no due date. */
export function nextMilestone(milestones: PlanMilestone[], now: Date): PlanMilestone | undefined {
  const due = milestones.filter((m) => m.dueOn !== null && Date.parse(m.dueOn) > now.getTime()).sort((a, b) => Date.parse(a.dueOn!) - Date.parse(b.dueOn!));
  return due[0] ?? milestones.find((m) => m.dueOn === null);
}

export function proposePlan(open: PlanIssue[], closed: ClosedIssue[] | undefined, milestones: PlanMilestone[], options: PlanOptions): Proposal {
  const { now } = options;
  const milestone = nextMilestone(milestones, now);
  const days = milestone?.dueOn ? Math.max(1, Math.ceil((Date.parse(milestone.dueOn) - now.getTime()) / DAY_MS)) : options.sprintDays;
  const v = closed ? velocity(closed, now, options.weeks ?? 4) : undefined;
  const budget = v ? Math.round(v.perWeek * (days / 7)) : 0;

  const leftOut: LeftOut[] = [];
  const candidates: PlanIssue[] = [];
  for (const issue of open) {
    const blocked = blockerLabel(issue.labels);
    if (blocked) leftOut.push({ issue, why: `blocked (\`${blocked}\`)` });
    else if (issue.milestone && issue.milestone !== milestone?.title) leftOut.push({ issue, why: `planned for ${issue.milestone}` });
    else candidates.push(issue);
  }
  const inTarget = (i: PlanIssue) => milestone !== undefined && i.milestone === milestone.title;
  // What is already in the milestone first, then the highest priority label, then the oldest.
  candidates.sort(
    (a, b) => Number(inTarget(b)) - Number(inTarget(a)) || priorityTier(a.labels) - priorityTier(b.labels) || Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.number - b.number,
  );

  const picked: Picked[] = [];
  let used = 0;
  for (const issue of candidates) {
    const own = v?.unit === "points" ? pointsOf(issue.labels) : undefined;
    const cost = v?.unit === "points" ? (own ?? v.unsizedAs!) : 1;
    if (!v || v.closed === 0) continue; // no velocity: nothing is picked; `ranked` shows the order
    if (used + cost <= budget) {
      used += cost;
      picked.push({ issue, cost, sized: own !== undefined, why: reason(issue, inTarget(issue), milestone, now) });
    } else {
      const left = budget - used;
      const fit = left <= 0 ? "the budget is used up" : `doesn't fit: ${amount(cost, v.unit)} with ${amount(left, v.unit)} left`;
      leftOut.push({ issue, why: `${inTarget(issue) ? `already in ${milestone!.title}, but ` : ""}${fit}` });
    }
  }
  // Left out in the order it matters: what didn't fit (by rank), then what was blocked or planned elsewhere.
  const rank = new Map(candidates.map((c, i) => [c.number, i]));
  leftOut.sort((a, b) => (rank.get(a.issue.number) ?? Infinity) - (rank.get(b.issue.number) ?? Infinity) || a.issue.number - b.issue.number);
  return { ...(milestone ? { milestone } : {}), days, ...(v ? { velocity: v } : {}), budget, used, picked, leftOut, ranked: candidates };
}

function reason(issue: PlanIssue, inTarget: boolean, milestone: PlanMilestone | undefined, now: Date): string {
  const parts: string[] = [];
  if (inTarget) parts.push(`already in ${milestone!.title}`);
  const tier = priorityTier(issue.labels);
  const label = issue.labels.find((l) => priorityTier([l]) === tier && priorityTier([l]) !== priorityTier([]));
  if (label) parts.push(`\`${label}\``);
  const age = Math.max(0, Math.floor((now.getTime() - Date.parse(issue.createdAt)) / DAY_MS));
  parts.push(age === 0 ? "opened today" : `open ${age} ${age === 1 ? "day" : "days"}`);
  return parts.join(", ");
}

export function amount(n: number, unit: "points" | "issues"): string {
  const v = Math.round(n * 10) / 10;
  return `${v} ${unit === "points" ? (v === 1 ? "point" : "points") : v === 1 ? "issue" : "issues"}`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}
