// How a thread summary looks in Slack: one section per part, people by name (never a mention), and what it is made from.
import { escapeMrkdwn } from "../../slack/format.js";
import type { MessageBody } from "../../slack/poster.js";
import type { SummaryLine, ThreadSummary } from "./summary.js";

export interface SummaryView {
  summary: ThreadSummary;
  /** Slack user id → display name, for those Piper could look up. */
  names: Record<string, string>;
  /** How many messages the summary was made from. */
  messages: number;
  /** Lines for the context block: coverage gaps, a model that failed. */
  notes: string[];
}

export const EXTRACTIVE_LABEL = "Extractive summary (no model): lines quoted from the thread as written.";
export const MODEL_LABEL = "Summarized by the model from the thread.";

export function summaryBody(view: SummaryView): MessageBody {
  const { summary } = view;
  const person = (id: string) => `@${escapeMrkdwn(view.names[id] ?? id)}`;
  // Mentions inside quoted text were read as "@U123": show the name instead.
  const prose = (text: string) => escapeMrkdwn(text).replace(/@([UW][A-Z0-9]+)\b/g, (whole, id: string) => (view.names[id] ? `@${escapeMrkdwn(view.names[id]!)}` : whole));
  const quoted = (l: SummaryLine) => (summary.by === "extractive" ? `“${prose(l.text)}”${l.by ? ` — ${person(l.by)}` : ""}` : prose(l.text));
  const section = (title: string, lines: string[], none: string) => ({
    type: "section",
    text: { type: "mrkdwn", text: `*${title}*\n${lines.length > 0 ? lines.map((l) => `• ${l}`).join("\n") : `_${none}_`}` },
  });
  const who = summary.participants.length > 0 ? summary.participants.map(person).join(", ") : "nobody I could name";
  const head = `*Summary of this thread* — ${view.messages} ${view.messages === 1 ? "message" : "messages"}, ${summary.participants.length} ${summary.participants.length === 1 ? "participant" : "participants"}: ${who}`;
  const blocks: unknown[] = [
    { type: "section", text: { type: "mrkdwn", text: head } },
    section("Decisions", summary.decisions.map(quoted), "none stated"),
    section("Open questions", summary.openQuestions.map(quoted), "none left unanswered"),
    section(
      "Action items",
      summary.actionItems.map((a) => `${a.owner ? `${person(a.owner)}: ` : ""}${quoted(summary.by === "extractive" ? { text: a.text } : a)}`),
      "none stated",
    ),
    section("Links", summary.links.map((l) => `<${l.url}|${escapeMrkdwn(l.label ?? l.url)}>`), "none"),
    { type: "context", elements: [{ type: "mrkdwn", text: [summary.by === "model" ? MODEL_LABEL : EXTRACTIVE_LABEL, ...view.notes].join(" · ") }] },
  ];
  const counts = `${summary.decisions.length} decisions, ${summary.openQuestions.length} open questions, ${summary.actionItems.length} action items`;
  const label = summary.by === "model" ? "summarized by the model" : "extractive summary (no model)";
  return { text: `Summary of this thread (${label}): ${counts}.`, blocks };
}
