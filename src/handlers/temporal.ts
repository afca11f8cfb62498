// TEMPORAL: what shipped, what's due and what happened, in the date range the message names (UTC days until Piper knows the room's time zone).
import type { Commit, Issue, Milestone, PullRequest } from "../integrations/github.js";
import type { Intent } from "../routing/intent.js";
import { reply, type Reply } from "../routing/router.js";
import { escapeMrkdwn } from "../slack/format.js";
import { allFailedSentence, footer, itemLink, plural, readEach, scopeOrReply, together, type HandlerDeps } from "./project-scope.js";

const DAY_MS = 86_400_000;
const SHOWN = 5;
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export interface Range {
  from: Date;
  to: Date;
  /** How the answer says it: "yesterday", "since Friday", "in the next 7 days". */
  phrase: string;
}

/** The message's first date range, or: since the start of the previous working day (Monday looks back to Friday). */
export function sinceRange(intent: Intent, now: Date): Range {
  const named = namedRange(intent);
  if (named) return named;
  const from = startOfDayUtc(now);
  do from.setUTCDate(from.getUTCDate() - 1);
  while (from.getUTCDay() === 0 || from.getUTCDay() === 6);
  return { from, to: now, phrase: `since ${WEEKDAYS[from.getUTCDay()]}` };
}

/** The message's first date range, or the next 7 days. */
export function dueRange(intent: Intent, now: Date): Range {
  return namedRange(intent) ?? { from: now, to: new Date(now.getTime() + 7 * DAY_MS), phrase: "in the next 7 days" };
}

function namedRange(intent: Intent): Range | undefined {
  const d = intent.entities.dates[0];
  if (!d) return undefined;
  const from = new Date(d.from);
  const to = new Date(d.to);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return undefined;
  return { from, to, phrase: escapeMrkdwn(d.phrase.trim()) };
}

function startOfDayUtc(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}

const inRange = (at: string | null | undefined, r: Range) => {
  if (!at) return false;
  const t = Date.parse(at);
  return t >= r.from.getTime() && t < r.to.getTime();
};

/** "Fri 13 Jun". */
function day(at: string): string {
  const d = new Date(at);
  return `${WEEKDAYS[d.getUTCDay()]!.slice(0, 3)} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
}

// ---- whats_shipped ----

export async function shipped(intent: Intent, deps: HandlerDeps, now: Date = new Date()): Promise<Reply> {
  const scoped = await scopeOrReply(intent, deps);
  if ("kind" in scoped) return scoped;
  const range = sinceRange(intent, now);
  const results = await readEach(scoped.repos, async (repo) => {
    const [pulls, issues] = await Promise.all([deps.github.listPullRequests(repo, { state: "closed" }), deps.github.listIssues(repo, { state: "closed", since: range.from })]);
    const merged = pulls.value.filter((p) => p.merged && inRange(p.mergedAt, range)).sort((a, b) => a.mergedAt!.localeCompare(b.mergedAt!) || a.number - b.number);
    const closed = issues.value.filter((i) => inRange(i.closedAt, range)).sort((a, b) => a.closedAt!.localeCompare(b.closedAt!) || a.number - b.number);
    return together([pulls, issues], { merged, closed });
  });
  const sentence = allFailedSentence(results);
  if (sentence) return reply(sentence);

  const active = results.flatMap((r) => (r.ok && r.value.merged.length + r.value.closed.length > 0 ? [{ repo: r.repo, ...r.value }] : []));
  const quiet = results.flatMap((r) => (r.ok && r.value.merged.length + r.value.closed.length === 0 ? [r.repo] : []));
  const lines: string[] = [];
  if (active.length === 0) {
    lines.push(`Nothing merged or closed ${quiet.length === 1 ? `in ${quiet[0]}` : scoped.scope} ${range.phrase}.`);
  } else {
    lines.push(`Shipped ${scoped.scope} ${range.phrase}:`);
    for (const a of active) {
      lines.push("", `*${a.repo}* — ${plural(a.merged.length, "PR")} merged · ${plural(a.closed.length, "issue")} closed`);
      const items = [
        ...a.merged.map((p) => `• Merged ${itemLink(p, a.repo, false)}${p.author ? ` — ${p.author}` : ""}`),
        ...a.closed.map((i) => `• Closed ${itemLink(i, a.repo, false)}${i.assignees.length > 0 ? ` — ${i.assignees.join(", ")}` : ""}`),
      ];
      lines.push(...capped(items));
    }
    if (quiet.length > 0) lines.push("", `_Nothing merged or closed in ${quiet.join(", ")}._`);
  }
  lines.push(...footer(results, scoped.note));
  return reply(lines.join("\n"));
}

// ---- whats_due ----

interface DueGroup {
  repo: string;
  milestone: Milestone & { dueOn: string };
  issues: Issue[];
}

/**
 * GitHub's only due dates are milestones': open issues whose milestone is due in the range, grouped
 * by milestone, soonest first; overdue milestones too when the range is about now or later.
 */
export async function due(intent: Intent, deps: HandlerDeps, now: Date = new Date()): Promise<Reply> {
  const scoped = await scopeOrReply(intent, deps);
  if ("kind" in scoped) return scoped;
  const range = dueRange(intent, now);
  const results = await readEach(scoped.repos, (repo) => deps.github.listIssues(repo, { state: "open" }));
  const sentence = allFailedSentence(results);
  if (sentence) return reply(sentence);

  const groups = new Map<string, DueGroup>();
  for (const r of results) {
    if (!r.ok) continue;
    for (const issue of r.value) {
      const m = issue.milestone;
      if (!m?.dueOn) continue;
      const key = `${r.repo}\u0000${m.url}`;
      const group = groups.get(key) ?? { repo: r.repo, milestone: { ...m, dueOn: m.dueOn }, issues: [] };
      group.issues.push(issue);
      groups.set(key, group);
    }
  }
  const all = [...groups.values()].sort((a, b) => a.milestone.dueOn.localeCompare(b.milestone.dueOn) || a.repo.localeCompare(b.repo) || a.milestone.title.localeCompare(b.milestone.title));
  const inside = all.filter((g) => inRange(g.milestone.dueOn, range));
  const overdue = range.to > now ? all.filter((g) => Date.parse(g.milestone.dueOn) < Math.min(now.getTime(), range.from.getTime())) : [];
  const many = scoped.repos.length > 1;

  const lines: string[] = [];
  if (all.length === 0) {
    lines.push(`No open issue ${scoped.scope} is in a milestone with a due date, so I can't tell what's due — GitHub keeps due dates on milestones.`);
  } else if (inside.length === 0 && overdue.length === 0) {
    lines.push(`Nothing is due ${scoped.scope} ${range.phrase}.`);
  } else {
    lines.push(inside.length > 0 ? `Due ${scoped.scope} ${range.phrase}:` : `Nothing is due ${scoped.scope} ${range.phrase}, but some milestones are overdue:`);
    for (const g of inside) lines.push("", ...dueGroup(g, many, "due"));
    if (overdue.length > 0 && inside.length > 0) lines.push("", "*Overdue*");
    for (const g of overdue) lines.push("", ...dueGroup(g, many, "was due"));
  }
  lines.push(...footer(results, scoped.note));
  return reply(lines.join("\n"));
}

function dueGroup(g: DueGroup, withRepo: boolean, verb: string): string[] {
  const issues = [...g.issues].sort((a, b) => a.number - b.number);
  return [
    `*<${g.milestone.url}|${escapeMrkdwn(g.milestone.title)}>*${withRepo ? ` in ${g.repo}` : ""} — ${verb} ${day(g.milestone.dueOn)} · ${plural(issues.length, "open issue")}`,
    ...capped(issues.map((i) => `• ${itemLink(i, g.repo, false)} — ${i.assignees.length > 0 ? i.assignees.join(", ") : "unassigned"}`)),
  ];
}

// ---- recent_activity ----

interface Activity {
  commits: Commit[];
  events: Array<{ at: string; text: string }>;
  counts: string[];
}

export async function recentActivity(intent: Intent, deps: HandlerDeps, now: Date = new Date()): Promise<Reply> {
  const scoped = await scopeOrReply(intent, deps);
  if ("kind" in scoped) return scoped;
  const range = sinceRange(intent, now);
  const results = await readEach(scoped.repos, async (repo) => {
    const [commits, issues, pulls] = await Promise.all([
      deps.github.listCommits(repo, { since: range.from }),
      deps.github.listIssues(repo, { state: "all", since: range.from }),
      deps.github.listPullRequests(repo, { state: "all" }),
    ]);
    return together([commits, issues, pulls], activity(repo, commits.value, issues.value, pulls.value, range));
  });
  const sentence = allFailedSentence(results);
  if (sentence) return reply(sentence);

  const busy = results.flatMap((r) => (r.ok && r.value.counts.length > 0 ? [{ repo: r.repo, ...r.value }] : []));
  const quiet = results.flatMap((r) => (r.ok && r.value.counts.length === 0 ? [r.repo] : []));
  const lines: string[] = [];
  if (busy.length === 0) {
    lines.push(`No activity ${quiet.length === 1 ? `in ${quiet[0]}` : scoped.scope} ${range.phrase} — no commits, pull requests or issues opened or closed.`);
  } else {
    lines.push(`Activity ${scoped.scope} ${range.phrase}:`);
    for (const b of busy) {
      lines.push("", `*${b.repo}* — ${b.counts.join(" · ")}`);
      const latest = b.commits[0];
      if (latest) {
        const firstLine = latest.message.split("\n")[0] ?? "";
        lines.push(`• Latest commit <${latest.url}|\`${latest.sha.slice(0, 7)}\`> ${escapeMrkdwn(firstLine)}${latest.author ? ` — ${escapeMrkdwn(latest.author)}` : ""}`);
      }
      lines.push(...capped(b.events.map((e) => `• ${e.text}`)));
    }
    if (quiet.length > 0) lines.push("", `_No activity in ${quiet.join(", ")}._`);
  }
  lines.push(...footer(results, scoped.note));
  return reply(lines.join("\n"));
}

function activity(repo: string, allCommits: Commit[], issues: Issue[], pulls: PullRequest[], range: Range): Activity {
  const commits = allCommits.filter((c) => inRange(c.date, range)).sort((a, b) => (b.date ?? "").localeCompare(a.date ?? ""));
  const prsOpened = pulls.filter((p) => inRange(p.createdAt, range));
  const prsMerged = pulls.filter((p) => p.merged && inRange(p.mergedAt, range));
  const opened = issues.filter((i) => inRange(i.createdAt, range));
  const closed = issues.filter((i) => i.state === "closed" && inRange(i.closedAt, range));
  const by = (who: string | null) => (who ? ` — ${escapeMrkdwn(who)}` : "");
  const events = [
    ...prsMerged.map((p) => ({ at: p.mergedAt!, n: p.number, text: `PR merged ${itemLink(p, repo, false)}${by(p.author)}` })),
    ...prsOpened.map((p) => ({ at: p.createdAt!, n: p.number, text: `PR opened ${itemLink(p, repo, false)}${by(p.author)}` })),
    ...closed.map((i) => ({ at: i.closedAt!, n: i.number, text: `Issue closed ${itemLink(i, repo, false)}` })),
    ...opened.map((i) => ({ at: i.createdAt, n: i.number, text: `Issue opened ${itemLink(i, repo, false)}${by(i.author)}` })),
  ].sort((a, b) => b.at.localeCompare(a.at) || a.n - b.n);
  const counts = [
    commits.length > 0 ? plural(commits.length, "commit") : "",
    prsOpened.length > 0 ? `${plural(prsOpened.length, "PR")} opened` : "",
    prsMerged.length > 0 ? `${plural(prsMerged.length, "PR")} merged` : "",
    opened.length > 0 ? `${plural(opened.length, "issue")} opened` : "",
    closed.length > 0 ? `${plural(closed.length, "issue")} closed` : "",
  ].filter(Boolean);
  return { commits, events: events.map(({ at, text }) => ({ at, text })), counts };
}

function capped(items: string[]): string[] {
  return items.length > SHOWN ? [...items.slice(0, SHOWN), `…and ${items.length - SHOWN} more.`] : items;
}
