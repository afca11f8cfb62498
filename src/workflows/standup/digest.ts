// The standup's facts per person: what each GitHub login did in the window, what is theirs to do now (by priority, then
// age), and what blocks them. Pure: the same activity gives the same digest, whoever renders it.
import { priorityTier } from "../../handlers/priority.js";
import { blockerLabel } from "../../handlers/project-scope.js";
import type { RepoActivity, StandupItem } from "./activity.js";

export type Done =
  | { kind: "merged"; item: StandupItem; at: string }
  | { kind: "closed"; item: StandupItem; at: string }
  | { kind: "reviewed"; item: StandupItem; at: string; state: string; url: string }
  /** Commits to one repository's default branch, newest first. */
  | { kind: "commits"; repo: string; commits: Array<{ message: string; url: string; at: string }> };

export interface Todo {
  item: StandupItem;
  /** Why it is theirs: they opened the PR, it is assigned to them, or their review is asked for. */
  role: "author" | "assignee" | "reviewer";
  /** priorityTier of its labels: lower is more urgent. */
  tier: number;
  draft?: boolean;
  /** For a review asked of them: since when. */
  since?: string;
}

export type Blocker =
  | { kind: "label"; item: StandupItem; label: string }
  | { kind: "review-wait"; item: StandupItem; reviewer: string; since: string }
  | { kind: "checks"; item: StandupItem; failing: string[] };

export interface PersonDigest {
  login: string;
  yesterday: Done[];
  today: Todo[];
  blockers: Blocker[];
}

export interface Digest {
  /** People active in the window or blocked now, most active first. */
  people: PersonDigest[];
  /** Logins with open work but nothing in the window and no blocker: named, not detailed. */
  quiet: Array<{ login: string; open: number }>;
}

/** A review request older than this is a blocker for the pull request's author. */
export const REVIEW_WAIT_MS = 24 * 3_600_000;

/** Groups every repository's activity by GitHub login. `now` ages review requests. */
export function digest(repos: RepoActivity[], now: Date): Digest {
  const people = new Map<string, PersonDigest>();
  const person = (login: string): PersonDigest => {
    const key = login.toLowerCase();
    let p = people.get(key);
    if (!p) people.set(key, (p = { login, yesterday: [], today: [], blockers: [] }));
    return p;
  };

  for (const repo of repos) {
    for (const pr of repo.merged) if (pr.author) person(pr.author).yesterday.push({ kind: "merged", item: strip(pr), at: pr.at });
    for (const issue of repo.closed) for (const login of issue.people) person(login).yesterday.push({ kind: "closed", item: strip(issue), at: issue.at });
    for (const review of repo.reviews) person(review.reviewer).yesterday.push({ kind: "reviewed", item: review.pr, at: review.at, state: review.state, url: review.url });
    const commitsBy = new Map<string, RepoActivity["commits"]>();
    for (const c of repo.commits) if (c.author) commitsBy.set(c.author, [...(commitsBy.get(c.author) ?? []), c]);
    for (const [login, commits] of commitsBy) {
      const sorted = [...commits].sort((a, b) => b.at.localeCompare(a.at));
      person(login).yesterday.push({ kind: "commits", repo: repo.repo, commits: sorted.map((c) => ({ message: c.message, url: c.url, at: c.at })) });
    }

    for (const pr of repo.openPrs) {
      const item = strip(pr);
      const tier = priorityTier(pr.labels);
      const owners = unique([...(pr.author ? [pr.author] : []), ...pr.assignees]);
      for (const login of owners) person(login).today.push({ item, role: login === pr.author ? "author" : "assignee", tier, ...(pr.draft ? { draft: true } : {}) });
      for (const w of pr.waiting) person(w.reviewer).today.push({ item, role: "reviewer", tier, since: w.since });
      const label = blockerLabel(pr.labels);
      for (const login of owners) {
        if (label) person(login).blockers.push({ kind: "label", item, label });
        if (pr.checks?.state === "failing") person(login).blockers.push({ kind: "checks", item, failing: pr.checks.failing });
      }
      const waiting = pr.waiting.filter((w) => now.getTime() - Date.parse(w.since) > REVIEW_WAIT_MS);
      if (pr.author) for (const w of waiting) person(pr.author).blockers.push({ kind: "review-wait", item, reviewer: w.reviewer, since: w.since });
    }
    for (const issue of repo.openIssues) {
      const item = strip(issue);
      const label = blockerLabel(issue.labels);
      for (const login of unique(issue.assignees)) {
        person(login).today.push({ item, role: "assignee", tier: priorityTier(issue.labels) });
        if (label) person(login).blockers.push({ kind: "label", item, label });
      }
    }
  }

  const all = [...people.values()];
  for (const p of all) {
    p.yesterday.sort(byDone);
    p.today = dedupeTodos(p.today).sort(byPriority);
  }
  const shown = all.filter((p) => p.yesterday.length > 0 || p.blockers.length > 0).sort((a, b) => weight(b) - weight(a) || a.login.localeCompare(b.login));
  const quiet = all
    .filter((p) => p.yesterday.length === 0 && p.blockers.length === 0 && p.today.length > 0)
    .map((p) => ({ login: p.login, open: p.today.length }))
    .sort((a, b) => a.login.localeCompare(b.login));
  return { people: shown, quiet };
}

/** Highest priority first, then the oldest, then repository and number, so the order never depends on GitHub's. */
export function byPriority(a: Todo, b: Todo): number {
  return (
    a.tier - b.tier ||
    Date.parse(a.item.createdAt) - Date.parse(b.item.createdAt) ||
    a.item.repo.localeCompare(b.item.repo) ||
    a.item.number - b.item.number
  );
}

/** Merged, closed, reviewed, then commits; newest first within a kind. */
function byDone(a: Done, b: Done): number {
  const order = { merged: 0, closed: 1, reviewed: 2, commits: 3 } as const;
  return order[a.kind] - order[b.kind] || doneAt(b).localeCompare(doneAt(a));
}

function doneAt(d: Done): string {
  return d.kind === "commits" ? (d.commits[0]?.at ?? "") : d.at;
}

/** One line per item: a PR you opened and are assigned to is yours once (as its author). */
function dedupeTodos(todos: Todo[]): Todo[] {
  const rank = { author: 0, assignee: 1, reviewer: 2 } as const;
  const byUrl = new Map<string, Todo>();
  for (const t of todos) {
    const seen = byUrl.get(t.item.url);
    if (!seen || rank[t.role] < rank[seen.role]) byUrl.set(t.item.url, t);
  }
  return [...byUrl.values()];
}

function weight(p: PersonDigest): number {
  return p.yesterday.reduce((n, d) => n + (d.kind === "commits" ? d.commits.length : 1), 0) + p.blockers.length;
}

function strip<T extends StandupItem>(x: T): StandupItem {
  return { repo: x.repo, kind: x.kind, number: x.number, title: x.title, url: x.url, labels: x.labels, createdAt: x.createdAt };
}

function unique(logins: string[]): string[] {
  const seen = new Set<string>();
  return logins.filter((l) => !seen.has(l.toLowerCase()) && seen.add(l.toLowerCase()));
}
