// STATUS: where each repository stands (open work, the last 7 days, what's blocked, the oldest open PR), and what is blocked. The standup is a workflow's, not here.
import type { Issue, PullRequest } from "../integrations/github.js";
import type { Intent } from "../routing/intent.js";
import { reply, type Reply } from "../routing/router.js";
import {
  allFailedSentence, blockerLabel, daysBetween, footer, itemLink, openFor, plural, readEach, scopeOrReply, together, type HandlerDeps,
} from "./project-scope.js";

const DAY_MS = 86_400_000;
/** "The last 7 days" of a status. */
const WEEK_MS = 7 * DAY_MS;
/** An open PR older than this, untouched for STALLED_MS, is a blocker: someone is waiting on a review or an answer. */
const PR_OPEN_MS = 3 * DAY_MS;
const STALLED_MS = 2 * DAY_MS;
const SHOWN = 5;

interface StatusData {
  openIssues: Issue[];
  closedIssues: Issue[];
  pulls: PullRequest[];
}

export async function projectStatus(intent: Intent, deps: HandlerDeps, now: Date = new Date()): Promise<Reply> {
  const scoped = await scopeOrReply(intent, deps);
  if ("kind" in scoped) return scoped;
  const weekAgo = new Date(now.getTime() - WEEK_MS);
  const results = await readEach(scoped.repos, async (repo) => {
    const [openIssues, closedIssues, pulls] = await Promise.all([
      deps.github.listIssues(repo, { state: "open" }),
      deps.github.listIssues(repo, { state: "closed", since: weekAgo }),
      deps.github.listPullRequests(repo, { state: "all" }),
    ]);
    return together<StatusData>([openIssues, closedIssues, pulls], { openIssues: openIssues.value, closedIssues: closedIssues.value, pulls: pulls.value });
  });
  const sentence = allFailedSentence(results);
  if (sentence) return reply(sentence);

  const lines = [`Here's where things stand ${scoped.scope}:`];
  for (const r of results) {
    if (!r.ok) continue;
    lines.push("", ...repoStatus(r.repo, r.value, now, weekAgo));
  }
  lines.push(...footer(results, scoped.note));
  return reply(lines.join("\n"));
}

function repoStatus(repo: string, data: StatusData, now: Date, weekAgo: Date): string[] {
  const openPrs = data.pulls.filter((p) => p.state === "open");
  const within = (at: string | null) => at !== null && Date.parse(at) >= weekAgo.getTime() && Date.parse(at) <= now.getTime();
  const merged = data.pulls.filter((p) => p.merged && within(p.mergedAt));
  const closed = data.closedIssues.filter((i) => within(i.closedAt));
  const blocked = [...data.openIssues, ...openPrs].filter((i) => blockerLabel(i.labels ?? []) !== undefined).sort(byNumber);
  const lines = [`*${repo}* — ${plural(data.openIssues.length, "open issue")} · ${plural(openPrs.length, "open PR")}`];
  lines.push(
    merged.length + closed.length === 0
      ? "• Last 7 days: nothing merged or closed."
      : `• Last 7 days: ${plural(merged.length, "PR")} merged, ${plural(closed.length, "issue")} closed.`,
  );
  if (blocked.length > 0) {
    const shown = blocked.slice(0, SHOWN).map((i) => `${itemLink(i, repo, false)} (${blockerLabel(i.labels ?? [])})`);
    lines.push(`• Blocked: ${shown.join(", ")}${blocked.length > SHOWN ? ` and ${blocked.length - SHOWN} more` : ""}.`);
  }
  const oldest = [...openPrs].sort((a, b) => createdOf(a).localeCompare(createdOf(b)) || a.number - b.number)[0];
  if (oldest) lines.push(`• Oldest open PR: ${itemLink(oldest, repo, false)} — ${openFor(createdOf(oldest), now)}${oldest.author ? `, by ${oldest.author}` : ""}.`);
  return lines;
}

interface Blocker {
  repo: string;
  item: { url: string; number: number; title: string };
  why: string;
  /** Labelled items before stalled PRs, then oldest first. */
  rank: [number, string, number];
}

export async function blockers(intent: Intent, deps: HandlerDeps, now: Date = new Date()): Promise<Reply> {
  const scoped = await scopeOrReply(intent, deps);
  if ("kind" in scoped) return scoped;
  const results = await readEach(scoped.repos, async (repo) => {
    const [issues, pulls] = await Promise.all([deps.github.listIssues(repo, { state: "open" }), deps.github.listPullRequests(repo, { state: "open" })]);
    return together([issues, pulls], repoBlockers(repo, issues.value, pulls.value, now));
  });
  const sentence = allFailedSentence(results);
  if (sentence) return reply(sentence);

  const found = results.flatMap((r) => (r.ok ? r.value : [])).sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1].localeCompare(b.rank[1]) || a.repo.localeCompare(b.repo) || a.rank[2] - b.rank[2]);
  const many = scoped.repos.length > 1;
  const lines =
    found.length === 0
      ? [`Nothing looks blocked ${scoped.scope}: no open issues or PRs are labelled blocked or blocker, and no PR has been waiting more than 3 days without an update.`]
      : [`${plural(found.length, "blocker")} ${scoped.scope}:`, ...found.map((b) => `• ${itemLink(b.item, b.repo, many)} — ${b.why}`)];
  lines.push(...footer(results, scoped.note));
  return reply(lines.join("\n"));
}

function repoBlockers(repo: string, issues: Issue[], pulls: PullRequest[], now: Date): Blocker[] {
  const out: Blocker[] = [];
  const labelled = (item: Issue | PullRequest, kind: string, created: string) => {
    const label = blockerLabel(item.labels ?? []);
    if (label) out.push({ repo, item, why: `${kind} labelled ${label} · ${openFor(created, now)}`, rank: [0, created, item.number] });
    return label !== undefined;
  };
  for (const issue of issues) labelled(issue, "issue", issue.createdAt);
  for (const pr of pulls) {
    const created = createdOf(pr);
    if (labelled(pr, "PR", created) || pr.draft) continue;
    const openMs = now.getTime() - Date.parse(created);
    const quietMs = now.getTime() - Date.parse(pr.updatedAt);
    if (openMs > PR_OPEN_MS && quietMs > STALLED_MS) {
      const why = `PR ${openFor(created, now)}, no update in ${plural(daysBetween(pr.updatedAt, now), "day")}${pr.author ? ` · by ${pr.author}` : ""}`;
      out.push({ repo, item: pr, why, rank: [1, created, pr.number] });
    }
  }
  return out;
}

function createdOf(p: PullRequest): string {
  return p.createdAt ?? p.updatedAt;
}

function byNumber(a: { number: number }, b: { number: number }): number {
  return a.number - b.number;
}
