// The standup as Slack shows it: a header with the dates, one section per person (yesterday / today / blockers, with
// links), and a context line saying what was read. Complete without a model; a model's summary, when there is one, goes on top.
import { daysBetween, itemLink, openFor, plural } from "../../handlers/project-scope.js";
import { BLOCK_LIMIT, escapeMrkdwn, fallbackText, SECTION_LIMIT } from "../../slack/format.js";
import type { StandupItem } from "./activity.js";
import type { Blocker, Digest, Done, PersonDigest, Todo } from "./digest.js";
import type { SlackPerson } from "./people.js";
import { describeWindow, type StandupWindow } from "./window.js";

export interface StandupView {
  digest: Digest;
  people: Map<string, SlackPerson>;
  window: StandupWindow;
  /** The repositories read, in order. */
  repos: string[];
  /** How they were chosen ("the channel's repository", "the 10 most recently active of 14 repositories"). */
  scopeNote?: string;
  /** One sentence per repository that couldn't be read, and per gap in one that could. */
  failures: Array<{ repo: string; sentence: string }>;
  gaps: string[];
  staleAsOf?: string;
  /** The model's 2–3 sentences from the same facts, when there is a model and it answered. */
  summary?: string;
  now: Date;
}

const TIER_NAMES = ["P0", "P1", "P2", "", "low priority"];
const MAX_YESTERDAY = 8;
const MAX_TODAY = 5;
const MAX_BLOCKERS = 5;
/** Leaves room for the header, summary, notes and context within Slack's 50 blocks (a person is a section and a divider). */
const MAX_PEOPLE = Math.floor((BLOCK_LIMIT - 8) / 2);

export function renderStandup(view: StandupView): { text: string; blocks: unknown[] } {
  const many = view.repos.length > 1;
  const header = `Standup · ${describeWindow(view.window)}`;
  const blocks: unknown[] = [{ type: "header", text: { type: "plain_text", text: header.slice(0, 150), emoji: true } }];
  const texts: string[] = [`*${escapeMrkdwn(header)}*`];
  if (view.summary) {
    const summary = `${escapeMrkdwn(view.summary)}\n_Summary written by the model from the facts below._`;
    blocks.push(section(summary));
    texts.push(summary);
  }

  const shown = view.digest.people.slice(0, MAX_PEOPLE);
  if (shown.length === 0) {
    const none = `Nothing was merged, closed, committed or reviewed ${inRepos(view.repos)} ${whenPhrase(view.window)}, and nobody is blocked.`;
    blocks.push(section(none));
    texts.push(none);
  }
  shown.forEach((p, i) => {
    if (i > 0) blocks.push({ type: "divider" });
    const text = personSection(p, view, many);
    blocks.push(section(text));
    texts.push(text);
  });

  const notes: string[] = [];
  const hidden = view.digest.people.length - shown.length;
  if (hidden > 0) notes.push(`${plural(hidden, "more person", "more people")} were active; ask for one repository to see them.`);
  if (view.digest.quiet.length > 0) {
    notes.push(`Open work but nothing ${whenPhrase(view.window)}: ${view.digest.quiet.map((q) => `${nameOf(q.login, view.people)} (${q.open})`).join(", ")}.`);
  }
  for (const f of view.failures) notes.push(`${escapeMrkdwn(f.repo)}: ${escapeMrkdwn(f.sentence)}`);
  for (const g of view.gaps) notes.push(escapeMrkdwn(g));
  if (view.staleAsOf) notes.push(`GitHub isn't answering right now; some of this is what I saw at ${view.staleAsOf.slice(11, 16)} UTC.`);
  if (notes.length > 0) {
    const text = notes.map((n) => `_${n}_`).join("\n");
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: clip(text, SECTION_LIMIT) }] });
    texts.push(text);
  }
  const read = readLine(view);
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: clip(read, SECTION_LIMIT) }] });
  texts.push(read);
  return { text: fallbackText(texts.join("\n\n")), blocks };
}

function personSection(p: PersonDigest, view: StandupView, many: boolean): string {
  const lines = [`*${nameOf(p.login, view.people)}*`];
  if (p.yesterday.length > 0) {
    lines.push("*Yesterday*", ...capped(p.yesterday.map((d) => `• ${doneLine(d, many)}`), MAX_YESTERDAY));
  }
  lines.push("*Today*", ...(p.today.length > 0 ? capped(p.today.map((t) => `• ${todoLine(t, many, view.now)}`), MAX_TODAY) : ["• nothing open is assigned to them"]));
  if (p.blockers.length > 0) lines.push("*Blockers*", ...capped(p.blockers.map((b) => `• ${blockerLine(b, many, view.now)}`), MAX_BLOCKERS));
  return clip(lines.join("\n"), SECTION_LIMIT);
}

/** "Alice Example (alice on GitHub)" when Piper knows who they are on Slack; the login otherwise. */
function nameOf(login: string, people: Map<string, SlackPerson>): string {
  const p = people.get(login.toLowerCase());
  if (!p) return escapeMrkdwn(login);
  return p.name && p.name.toLowerCase() !== login.toLowerCase() ? `${escapeMrkdwn(p.name)} (${escapeMrkdwn(login)} on GitHub)` : escapeMrkdwn(p.name ?? login);
}

function link(item: StandupItem, many: boolean): string {
  return itemLink(item, item.repo, many);
}

function doneLine(d: Done, many: boolean): string {
  switch (d.kind) {
    case "merged":
      return `Merged ${link(d.item, many)}`;
    case "closed":
      return `Closed ${link(d.item, many)}`;
    case "reviewed":
      return `Reviewed ${link(d.item, many)} (${REVIEW_STATES[d.state] ?? d.state.toLowerCase().replace(/_/g, " ")})`;
    case "commits": {
      const shown = d.commits.slice(0, 2).map((c) => `<${c.url}|${escapeMrkdwn(clip(c.message, 72))}>`);
      const more = d.commits.length > 2 ? ` and ${d.commits.length - 2} more` : "";
      return `${plural(d.commits.length, "commit")} to ${escapeMrkdwn(d.repo)}: ${shown.join(", ")}${more}`;
    }
  }
}

const REVIEW_STATES: Record<string, string> = { APPROVED: "approved", CHANGES_REQUESTED: "asked for changes", COMMENTED: "commented", DISMISSED: "dismissed" };

function todoLine(t: Todo, many: boolean, now: Date): string {
  const tier = TIER_NAMES[t.tier] ?? "";
  if (t.role === "reviewer") return `Review ${link(t.item, many)}${tier ? ` · ${tier}` : ""} · asked ${ago(t.since!, now)}`;
  const what = t.item.kind === "pr" ? "PR " : "";
  return [`${what}${link(t.item, many)}${t.draft ? " (draft)" : ""}`, tier, openFor(t.item.createdAt, now)].filter(Boolean).join(" · ");
}

function blockerLine(b: Blocker, many: boolean, now: Date): string {
  switch (b.kind) {
    case "label":
      return `${link(b.item, many)} is labelled \`${escapeMrkdwn(b.label)}\``;
    case "review-wait":
      return `${link(b.item, many)} has waited ${waited(b.since, now)} for ${escapeMrkdwn(b.reviewer)}'s review`;
    case "checks":
      return `${link(b.item, many)}: checks failing${b.failing.length > 0 ? ` (${escapeMrkdwn(b.failing.slice(0, 3).join(", "))})` : ""}`;
  }
}

function waited(since: string, now: Date): string {
  const days = daysBetween(since, now);
  return days >= 1 ? plural(days, "day") : `${Math.max(1, Math.floor((now.getTime() - Date.parse(since)) / 3_600_000))} hours`;
}

function ago(since: string, now: Date): string {
  const days = daysBetween(since, now);
  return days >= 1 ? `${plural(days, "day")} ago` : "today";
}

function readLine(view: StandupView): string {
  const repos = view.repos.map(escapeMrkdwn).join(", ");
  const parts = [
    `Read ${repos}${view.scopeNote ? ` (${escapeMrkdwn(view.scopeNote)})` : ""}`,
    `“yesterday” is ${describeWindow(view.window)} in ${escapeMrkdwn(view.window.timeZone)}`,
    "merged PRs, closed issues, commits on the default branch and reviews; open PRs and issues, review requests and checks",
    "closed issues count for their assignees",
  ];
  return parts.join(" · ");
}

function whenPhrase(window: StandupWindow): string {
  return window.days.length > 1 ? `between ${describeWindow({ days: [window.days[0]!] })} and ${describeWindow({ days: [window.days.at(-1)!] })}` : `on ${describeWindow(window)}`;
}

function inRepos(repos: string[]): string {
  return repos.length === 1 ? `in ${escapeMrkdwn(repos[0]!)}` : `in ${repos.length} repositories`;
}

function capped(lines: string[], max: number): string[] {
  return lines.length <= max ? lines : [...lines.slice(0, max), `• _…and ${lines.length - max} more_`];
}

function section(text: string): unknown {
  return { type: "section", text: { type: "mrkdwn", text: clip(text, SECTION_LIMIT) } };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
