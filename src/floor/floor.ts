// The conversational floor: identity, discovery, trust, memory, practice guidance, chit-chat and the unclear. A model streams the answer; without one, templates render the same context.
import type { Logger } from "../logger.js";
import { humanizeAction } from "../routing/humanize.js";
import type { Intent } from "../routing/intent.js";
import { reply, type RouterResult } from "../routing/router.js";
import type { Inbound } from "../slack/inbound.js";
import type { ContextAssembler, DomainContext, FloorContext, Turn } from "./context-assembler.js";
import { practiceNote } from "./practice-notes.js";
import { floorSystemPrompt } from "./prompts.js";

/** The part of the model client the floor needs: text deltas of one answer. */
export interface FloorModel {
  readonly configured: boolean;
  streamText(input: { system: string; messages: Array<{ role: "user" | "assistant"; content: string }>; maxTokens?: number }, signal?: AbortSignal): AsyncIterable<string>;
}

export interface FloorDeps {
  assembler: ContextAssembler;
  model?: FloorModel;
  logger: Logger;
  /** Turns a model failure into the sentence users see before the fallback answer. */
  failureSentence: (err: unknown) => string | undefined;
}

export interface FloorRequest {
  intent: Intent;
  inbound: Inbound;
  /** The person's words, normalized (markup read). */
  text: string;
  signal: AbortSignal;
}

export class ConversationalFloor {
  constructor(private readonly deps: FloorDeps) {}

  async answer(request: FloorRequest): Promise<RouterResult> {
    const { intent } = request;
    if (intent.parts && intent.parts.length > 1) return reply(whichFirst(intent), partButtons(intent));
    if (intent.category === "UNKNOWN") return reply(clarify(intent));
    const context = await this.deps.assembler.assemble(intent.category, request.inbound);
    const model = this.deps.model;
    if (model?.configured) {
      try {
        return await this.#stream(model, request, context);
      } catch (err) {
        if (request.signal.aborted) throw err;
        const sentence = this.deps.failureSentence(err);
        if (!sentence) throw err;
        this.deps.logger.warn({ err, category: intent.category }, "floor model failed; answering from the template");
        return reply(`_${sentence}_\n\n${renderTemplate(intent, context.domain, request.text)}`);
      }
    }
    return reply(renderTemplate(intent, context.domain, request.text));
  }

  /** Waits for the first delta before handing the stream over, so a model that can't start falls back instead of failing mid-reply. */
  async #stream(model: FloorModel, request: FloorRequest, context: FloorContext): Promise<RouterResult> {
    const system = floorSystemPrompt(request.intent, context.domain);
    const iterator = model.streamText({ system, messages: conversation(context.history, request.text) }, request.signal)[Symbol.asyncIterator]();
    const first = await iterator.next();
    async function* chunks(): AsyncGenerator<string> {
      if (!first.done) yield first.value;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    }
    return { kind: "stream", chunks: chunks() };
  }
}

/**
 * The Messages API wants user/assistant turns alternating and starting with the user: earlier turns
 * are merged where two of one side follow each other, and the current message comes last.
 */
export function conversation(history: Turn[], text: string): Array<{ role: "user" | "assistant"; content: string }> {
  const out: Array<{ role: "user" | "assistant"; content: string }> = [];
  for (const turn of [...history, { role: "user" as const, text }]) {
    const last = out.at(-1);
    if (last && last.role === turn.role) last.content += `\n\n${turn.text}`;
    else out.push({ role: turn.role, content: turn.text });
  }
  // The thread may open with Piper's words; the API wants the person first, and dropping the turn would lose it.
  if (out[0]?.role === "assistant") out.unshift({ role: "user", content: "(earlier in this Slack thread)" });
  return out;
}

/** Compound without a model to split it: name the parts and let the person pick, never guess an order and act. */
export function whichFirst(intent: Intent): string {
  const parts = intent.parts ?? [];
  const listed = parts.map((p, i) => `${i + 1}. ${humanizeAction(p.action)} — “${p.text}”`);
  return [`I see ${parts.length === 2 ? "two" : parts.length} requests — which first? Pick one (or send it on its own) and I'll take it from there:`, ...listed].join("\n");
}

/** Button action ids for the parts of a compound request: `piper_part_1`, `piper_part_2`, … (Slack wants them unique per block). */
export const PART_ACTION_PREFIX = "piper_part_";
export const MAX_PART_BUTTONS = 3;

/** The "which first?" question with one button per part; a click asks Piper that part on its own, in the same thread. */
function partButtons(intent: Intent): unknown[] {
  const parts = (intent.parts ?? []).slice(0, MAX_PART_BUTTONS);
  return [
    { type: "section", text: { type: "mrkdwn", text: whichFirst(intent) } },
    {
      type: "actions",
      block_id: "piper_parts",
      elements: parts.map((p, i) => ({
        type: "button",
        action_id: `${PART_ACTION_PREFIX}${i + 1}`,
        text: { type: "plain_text", text: capitalize(humanizeAction(p.action)).slice(0, 75), emoji: true },
        // Slack allows 2,000 characters in a value; a part longer than that is cut, not refused.
        value: p.text.slice(0, 2_000),
      })),
    },
  ];
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function clarify(intent: Intent): string {
  if (intent.action === "decline") {
    return "I won't do that. I only act on clear requests from the people in this workspace, and anything that changes GitHub or Notion waits for a confirming click.";
  }
  const guess = intent.guess;
  if (guess) return `I'm not sure I followed — did you want me to ${humanizeAction(guess.action)}? Say it in a few more words and I'll get on it.`;
  return "I'm not sure what you'd like me to do. Could you say it another way? For example “what's blocking mobile?”, “list projects” or “how do I connect GitHub?” — `help` lists the rest.";
}

/** The no-model answer: the same context the model would see, said plainly. An empty block says what Piper doesn't know. */
export function renderTemplate(intent: Pick<Intent, "category" | "action">, domain: DomainContext, text: string): string {
  switch (intent.category) {
    case "MEMORY":
      if (domain.sections.length === 0) {
        return intent.action === "remember_fact" || intent.action === "forget"
          ? "Tell me what to remember as “remember that …”, or link this channel with “this channel is owner/repo”. Right now I don't remember anything about this conversation."
          : "I don't remember anything about this conversation yet — nobody has told me facts about it, and I haven't been asked anything here before.";
      }
      return sectionsText(domain);
    case "GUIDANCE":
      return practiceNote(text) ?? "That's a question about practice I'd need a language model to discuss well, and none is configured. I can still show you facts: `projects`, what's blocked, what shipped.";
    case "CONVERSATION":
      return intent.action === "venting"
        ? "That sounds rough. If I can take something off your plate — what's blocked, what shipped, what to pick up first — just ask."
        : "I'm better at projects than small talk, but I'm here. `help` shows what I can do.";
    default:
      return domain.sections.length > 0 ? sectionsText(domain) : "I don't know that, and I won't guess.";
  }
}

function sectionsText(domain: DomainContext): string {
  return domain.sections.map((s) => `*${s.heading}*\n${s.lines.map((l) => `• ${l}`).join("\n")}`).join("\n\n");
}
