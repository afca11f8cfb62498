// PRIORITY: which open issues come first — by priority label, then blockers, then age — with a one-line why for each.
import type { Issue } from "../integrations/github.js";
import type { Intent } from "../routing/intent.js";
import { reply, type Reply } from "../routing/router.js";
import { allFailedSentence, blockerLabel, footer, itemLink, openFor, readEach, scopeOrReply, type HandlerDeps } from "./project-scope.js";

const TOP = 5;

/** Priority tiers, highest first; an issue takes its best label's tier. Unlabelled work ranks above work marked low. */
const TIERS: Array<{ name: string; labels: string[] }> = [
  { name: "P0", labels: ["p0", "priority: p0", "priority: high", "priority: critical", "priority: urgent", "critical", "urgent"] },
  { name: "P1", labels: ["p1", "priority: p1", "high"] },
  { name: "P2", labels: ["p2", "priority: p2", "priority: medium", "medium"] },
  { name: "", labels: [] },
  { name: "low priority", labels: ["low", "priority: low", "p3", "priority: p3", "p4", "priority: p4"] },
];
const UNLABELLED = TIERS.findIndex((t) => t.labels.length === 0);

/** `Priority/High`, `priority-high`, `PRIORITY:high` all read as `priority: high`. */
function normalise(label: string): string {
  return label.trim().toLowerCase().replace(/^priority\s*[:/_-]\s*/, "priority: ");
}

export function priorityTier(labels: string[]): number {
  const tiers = labels.map((l) => TIERS.findIndex((t) => t.labels.includes(normalise(l)))).filter((t) => t >= 0);
  return tiers.length > 0 ? Math.min(...tiers) : UNLABELLED;
}

interface Ranked {
  repo: string;
  issue: Issue;
  tier: number;
  blocker: string | undefined;
}

/** Highest tier first, then blockers, then the oldest; repository and number settle ties so the order never depends on GitHub's. */
function compare(a: Ranked, b: Ranked): number {
  return (
    a.tier - b.tier ||
    Number(b.blocker !== undefined) - Number(a.blocker !== undefined) ||
    Date.parse(a.issue.createdAt) - Date.parse(b.issue.createdAt) ||
    a.repo.localeCompare(b.repo) ||
    a.issue.number - b.issue.number
  );
}

/** `what_first` leads with one issue; `top_priorities` lists the top five. */
export async function priorities(intent: Intent, deps: HandlerDeps, now: Date = new Date()): Promise<Reply> {
  const scoped = await scopeOrReply(intent, deps);
  if ("kind" in scoped) return scoped;
  const results = await readEach(scoped.repos, (repo) => deps.github.listIssues(repo, { state: "open" }));
  const sentence = allFailedSentence(results);
  if (sentence) return reply(sentence);

  const ranked = results
    .flatMap((r) => (r.ok ? r.value.map((issue) => ({ repo: r.repo, issue, tier: priorityTier(issue.labels), blocker: blockerLabel(issue.labels) })) : []))
    .sort(compare);
  const many = scoped.repos.length > 1;
  const line = (r: Ranked) => `${itemLink(r.issue, r.repo, many)} — ${why(r, now)}`;

  const lines: string[] = [];
  // Slack people → GitHub logins comes with the standup issue; until then, say so and answer for the team.
  if (intent.entities.people.length > 0) lines.push("_I can't map Slack people to GitHub logins yet, so here's the team's list._", "");
  const top = ranked.slice(0, TOP);
  if (top.length === 0) {
    lines.push(`No open issues ${scoped.scope} — nothing to prioritise.`);
  } else if (intent.action === "what_first") {
    lines.push(`Start with ${line(top[0]!)}`);
    if (top.length > 1) lines.push("", "Then:", ...top.slice(1).map((r, i) => `${i + 2}. ${line(r)}`));
  } else {
    lines.push(`Top ${top.length === 1 ? "priority" : `${top.length} priorities`} ${scoped.scope}:`, ...top.map((r, i) => `${i + 1}. ${line(r)}`));
  }
  const rest = ranked.length - top.length;
  if (rest > 0) lines.push(`_${rest} more open ${rest === 1 ? "issue ranks" : "issues rank"} lower._`);
  lines.push(...footer(results, scoped.note));
  return reply(lines.join("\n"));
}

/** "P0 · open 12 days · blocker · alice". */
function why(r: Ranked, now: Date): string {
  const parts = [TIERS[r.tier]!.name, openFor(r.issue.createdAt, now), r.blocker ?? "", r.issue.assignees.length > 0 ? r.issue.assignees.join(", ") : "unassigned"];
  return parts.filter(Boolean).join(" · ");
}
