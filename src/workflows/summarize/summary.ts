// A thread's summary, whoever wrote it: decisions, open questions, action items with owners, links — and the extractive one, written without a model.
import { normalizeSlackText } from "../../slack/message-text.js";

/** One message of the thread as the summary sees it: who, what (Slack markup kept, so mentions and links can be read). */
export interface ThreadMessage {
  ts: string;
  user?: string;
  text: string;
}

/** A line of the summary; `by` (a Slack user id) when it is quoted from someone's message. */
export interface SummaryLine {
  text: string;
  by?: string;
}

export interface ActionItem extends SummaryLine {
  /** A Slack user id, when the thread says who. */
  owner?: string;
}

export interface ThreadSummary {
  /** "extractive": lines picked from the thread as written (no model); "model": the model's reading. */
  by: "extractive" | "model";
  /** Slack user ids in the order they first spoke. */
  participants: string[];
  decisions: SummaryLine[];
  openQuestions: SummaryLine[];
  actionItems: ActionItem[];
  links: Array<{ url: string; label?: string }>;
}

/** At most this many lines per section: a summary longer than the thread helps nobody. */
export const MAX_PER_SECTION = 8;
const MAX_LINE_CHARS = 280;

/** A line that records a decision: "decided", "let's go with", "agreed", "we're going with". */
const DECISION = /\b(?:decided|decision\b|let'?s go with|lets go with|we(?:'re| are) going with|going with\b|agreed\b|we agree\b|settled on|final answer|ship it\b)/i;
/** A line that commits someone to doing something: "I'll", "we'll", "I will", "will do", "on it". */
const COMMITMENT = /(?:\b(?:i'?ll|i will|i can take|i'?m on it|on it\b|will do\b|i'?ll take|we'?ll|we will|we(?:'re| are) going to|i(?:'m| am) going to)\b|\bwill (?:do|handle|fix|take|look|follow|send|write|update|ship|review)\b)/i;
const QUESTION = /\?\s*$|\?\s/;

/**
 * The summary without a model: who spoke, questions no later message from someone else answers, lines that
 * state decisions or commitments (quoted as written, with who said them), and every link.
 */
export function extractiveSummary(thread: ThreadMessage[]): ThreadSummary {
  const participants: string[] = [];
  const links = new Map<string, { url: string; label?: string }>();
  const decisions: SummaryLine[] = [];
  const actionItems: ActionItem[] = [];
  const openQuestions: SummaryLine[] = [];
  const read = thread.map((m) => ({ ...m, normalized: normalizeSlackText(m.text) }));

  for (const [i, m] of read.entries()) {
    if (m.user && !participants.includes(m.user)) participants.push(m.user);
    for (const link of m.normalized.links) if (!links.has(link.url)) links.set(link.url, link);
    const text = m.normalized.text.trim();
    if (text === "") continue;
    for (const sentence of sentences(text)) {
      if (DECISION.test(sentence)) decisions.push(said(sentence, m.user));
      else if (COMMITMENT.test(sentence)) actionItems.push(actionItem(sentence, m.user, m.normalized.people));
    }
    const questions = sentences(text).filter((s) => s.endsWith("?"));
    if (questions.length > 0 && !answeredLater(read, i)) for (const q of questions) openQuestions.push(said(q, m.user));
  }
  return {
    by: "extractive",
    participants,
    decisions: decisions.slice(0, MAX_PER_SECTION),
    openQuestions: openQuestions.slice(0, MAX_PER_SECTION),
    actionItems: actionItems.slice(0, MAX_PER_SECTION),
    links: [...links.values()],
  };
}

/**
 * A question is answered by a later message from someone else that is not itself only questions; when it asks
 * people by name, only they can answer it.
 */
function answeredLater(read: Array<ThreadMessage & { normalized: ReturnType<typeof normalizeSlackText> }>, index: number): boolean {
  const asked = read[index]!;
  const addressed = asked.normalized.people.filter((p) => p !== asked.user);
  return read.slice(index + 1).some((later) => {
    if (later.user === undefined || later.user === asked.user) return false;
    if (addressed.length > 0 && !addressed.includes(later.user)) return false;
    const text = later.normalized.text.trim();
    return text !== "" && !sentences(text).every((s) => QUESTION.test(s));
  });
}

function actionItem(sentence: string, author: string | undefined, mentioned: string[]): ActionItem {
  // "I'll …" is the speaker's; "<@U2> will …" is the person named; "we'll …" is nobody's in particular.
  const owner = /\bi(?:'ll| will| can take|'m on it| am going to|'m going to)\b|^on it\b|^will do\b/i.test(sentence) ? author : /\bwe(?:'ll| will| are| 're)\b/i.test(sentence) ? undefined : (mentioned[0] ?? author);
  return { ...said(sentence, author), ...(owner ? { owner } : {}) };
}

/** A line quoted as written, with who said it. */
function said(sentence: string, user: string | undefined): SummaryLine {
  return user ? { text: clip(sentence), by: user } : { text: clip(sentence) };
}

/** Sentences of a message, so one long message gives the line that decides, not the whole paragraph. */
export function sentences(text: string): string[] {
  return text
    .split(/\n+|(?<=[.!?])\s+(?=[A-Z“"'(@#]|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function clip(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= MAX_LINE_CHARS ? flat : `${flat.slice(0, MAX_LINE_CHARS - 1).trimEnd()}…`;
}
