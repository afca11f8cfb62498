// How a review looks in Slack (Block Kit: a header line, one section per list, counts and links), and the same
// facts as plain lines for the model's short read.
import { escapeMrkdwn } from "../../slack/format.js";
import type { MessageBody } from "../../slack/poster.js";
import { daysSince, type AgeCounts, type Listed, type ReviewItem, type ReviewReport } from "./report.js";

export interface ReportView {
  repo: string;
  report: ReviewReport;
  now: Date;
  /** The model's two or three sentences, when there is a model and it answered. */
  read?: string;
  notes: string[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const link = (i: ReviewItem) => `<${i.url}|#${i.number} ${escapeMrkdwn(i.title)}>`;

export function reportBody(view: ReportView): MessageBody {
  const { report, now, repo } = view;
  const section = (text: string) => ({ type: "section", text: { type: "mrkdwn", text } });
  const list = (title: string, items: ReviewItem[], detail: (i: ReviewItem) => string, none: string) =>
    section(`*${title}*\n${items.length > 0 ? items.map((i) => `• ${link(i)} — ${detail(i)}`).join("\n") : `_${none}_`}`);
  const more = (l: Listed) => (l.count > l.items.length ? ` (first ${l.items.length} of ${l.count})` : "");
  const opened = (i: ReviewItem) => `opened ${daysAgo(daysSince(i.createdAt, now))}`;
  const quiet = (i: ReviewItem) => `last activity ${daysAgo(daysSince(i.updatedAt, now))}${i.draft ? " · draft" : ""}`;
  const scope = report.labels.length > 0 ? ` labelled ${report.labels.map((l) => `\`${escapeMrkdwn(l)}\``).join(" or ")}` : "";
  const pulls = report.openPulls === undefined ? "pull requests unread" : plural(report.openPulls, "open pull request");
  const head = `*Review of ${escapeMrkdwn(repo)}* — ${plural(report.openIssues, "open issue")}${scope} · ${pulls}`;
  const blocks: unknown[] = [section(head)];
  if (view.read) blocks.push(section(`*In short:* ${escapeMrkdwn(view.read)}`));

  const stalePulls = report.stalePulls
    ? list(`Stale pull requests — ${report.stalePulls.count}, no activity for ${report.staleDays}+ days${more(report.stalePulls)}`, report.stalePulls.items, quiet, "none")
    : section("*Stale pull requests*\n_I couldn't read the pull requests._");
  if (report.focus === "pulls") {
    blocks.push(stalePulls);
    if (report.oldestPulls) blocks.push(list("Oldest open pull requests", report.oldestPulls, (p) => `${opened(p)}${p.draft ? " · draft" : ""}`, "none open"));
    if (report.draftPulls) blocks.push(section(`_${report.draftPulls} of them ${report.draftPulls === 1 ? "is a draft" : "are drafts"}._`));
  } else if (report.focus === "stale") {
    blocks.push(list(`Stale issues — ${report.staleIssues.count}, no activity for ${report.staleDays}+ days${more(report.staleIssues)}`, report.staleIssues.items, quiet, "none"));
    blocks.push(stalePulls);
  } else {
    const themes = report.themes.map((t) => `• \`${escapeMrkdwn(t.label)}\` — ${t.count}${agesNote(t.ages)}`);
    blocks.push(section(`*By label* (an issue counts under each of its labels)\n${themes.length > 0 ? themes.join("\n") : "_no open issues_"}\n_By age: ${agesLine(report.ages)}_`));
    blocks.push(list("Oldest", report.oldest, opened, "none open"));
    blocks.push(list("Most discussed", report.mostDiscussed, (i) => plural(i.comments ?? 0, "comment"), "no comments on any open issue"));
    blocks.push(list(`No assignee — ${report.unassigned.count}${more(report.unassigned)}`, report.unassigned.items, opened, "every open issue has someone"));
    if (report.blocked.count > 0) blocks.push(list(`Blocked — ${report.blocked.count}${more(report.blocked)}`, report.blocked.items, opened, "none"));
    blocks.push(stalePulls);
  }
  const made = `From GitHub's open issues and pull requests; stale means no activity for ${report.staleDays} days.`;
  const byModel = view.read ? " The short read is the model's, from these facts." : "";
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: [made + byModel, ...view.notes].join(" · ") }] });
  const text = `Review of ${repo}: ${plural(report.openIssues, "open issue")}${report.labels.length > 0 ? ` labelled ${report.labels.join(" or ")}` : ""}, ${report.unassigned.count} without an assignee, ${report.stalePulls ? `${plural(report.stalePulls.count, "stale pull request")}` : "pull requests unread"}.`;
  return { text, blocks };
}

/** The report as plain lines: what the model reads (and nothing else). */
export function reportFacts(repo: string, report: ReviewReport, now: Date): string {
  const item = (i: ReviewItem) => `#${i.number} "${i.title}" (opened ${daysSince(i.createdAt, now)} days ago, last activity ${daysSince(i.updatedAt, now)} days ago, ${i.comments ?? 0} comments, ${i.assignees.length > 0 ? `assigned to ${i.assignees.join(", ")}` : "no assignee"}${i.labels.length > 0 ? `, labels ${i.labels.join(", ")}` : ""})`;
  const lines = [
    `Repository: ${repo}. Open issues${report.labels.length > 0 ? ` labelled ${report.labels.join(" or ")}` : ""}: ${report.openIssues}. Open pull requests: ${report.openPulls ?? "unknown"}.`,
    `By label: ${report.themes.map((t) => `${t.label} ${t.count}`).join(", ") || "none"}. By age: ${agesLine(report.ages)}.`,
    `Oldest: ${report.oldest.map(item).join("; ") || "none"}.`,
    `Most discussed: ${report.mostDiscussed.map(item).join("; ") || "none"}.`,
    `Without an assignee: ${report.unassigned.count}. Blocked: ${report.blocked.count}. Stale issues (no activity for ${report.staleDays}+ days): ${report.staleIssues.count}.`,
    report.stalePulls ? `Stale pull requests: ${report.stalePulls.count}: ${report.stalePulls.items.map(item).join("; ") || "none"}.` : "Pull requests could not be read.",
  ];
  return lines.join("\n");
}

function agesNote(a: AgeCounts): string {
  const older = a.quarter + a.older;
  return older > 0 ? ` (${older} older than a month)` : "";
}

function agesLine(a: AgeCounts): string {
  return `${a.week} this week, ${a.month} within a month, ${a.quarter} within three months, ${a.older} older`;
}

function daysAgo(days: number): string {
  return days === 0 ? "today" : days === 1 ? "yesterday" : `${days} days ago`;
}
