// "Summarize this thread" / "tl;dr": read the thread (what Piper saw first; Slack only for a gap, at most once a
// minute), then the model's summary or, without one, an extractive summary labelled as such.
import { isIntegrationError } from "../../integrations/errors.js";
import type { LlmClient } from "../../integrations/llm.js";
import type { Logger } from "../../logger.js";
import type { Reply } from "../../routing/router.js";
import type { WorkflowRequest } from "../../routing/workflow-dispatcher.js";
import type { Inbound } from "../../slack/inbound.js";
import { HISTORY_LIMIT, type ThreadRead } from "../../slack/thread-context.js";
import type { WorkflowEngine } from "../engine.js";
import { progressLine } from "../progress.js";
import type { WorkflowDefinition } from "../registry.js";
import type { TaskContext } from "../types.js";
import { modelSummary, SummaryFailed } from "./model-summary.js";
import { extractiveSummary, type ThreadMessage, type ThreadSummary } from "./summary.js";
import { summaryBody } from "./summary-blocks.js";

export const SUMMARIZE_WORKFLOW = "thread-summary";
/** At most this many people are looked up by name (users.info each); the rest show as their ids. */
const MAX_NAMES = 15;

export interface SummarizeDeps {
  engine: WorkflowEngine;
  /** More of the thread than the request carries: Piper's thread memory, then Slack (see ThreadContext.thread). */
  readThread: (inbound: Inbound) => Promise<ThreadRead>;
  /** A person's display name, or undefined when Slack can't say. */
  userName?: (userId: string) => Promise<string | undefined>;
  model: () => Pick<LlmClient, "createMessage"> | undefined;
  logger: Logger;
}

interface SummarizeInput {
  inbound: Inbound;
}

interface ReadOutput {
  messages: ThreadMessage[];
  complete: boolean;
  total?: number;
  gap?: ThreadRead["gap"];
}

const PHRASES: Record<string, string> = { read: "Reading the thread", names: "Looking up names", summary: "Summarizing" };

type ThreadContextValue = { threadTs: string };

export class SummarizeThreadWorkflow {
  constructor(private readonly deps: SummarizeDeps) {
    deps.engine.register<SummarizeInput>(
      {
        type: SUMMARIZE_WORKFLOW,
        thresholdMs: 15_000,
        tasks: [
          { name: "read", timeoutMs: 30_000, run: ({ input }) => this.#read(input.inbound) },
          { name: "names", dependsOn: ["read"], critical: false, timeoutMs: 10_000, run: (ctx) => this.#names(ctx) },
          { name: "summary", dependsOn: ["read"], optionalDeps: ["names"], timeoutMs: 45_000, run: (ctx) => this.#summarize(ctx) },
        ],
      },
      // Interrupted, it is failed: the request it answers is redelivered and summarized again.
      { resumable: false, answersRequest: true },
    );
  }

  /** A thread is critical: asked at the top of a channel, Piper says where to ask instead. */
  definition(): WorkflowDefinition<ThreadContextValue> {
    return {
      type: "summarize-thread",
      handles: ["SYNTHESIS:summarize_thread"],
      requirements: [
        {
          key: "threadTs",
          level: "critical",
          resolve: async ({ inbound }) =>
            inThread(inbound)
              ? { found: true, value: inbound.threadTs! }
              : { found: false, ask: { kind: "reply", text: "Which thread? Ask me inside it — reply in the thread with `@piper summarize this thread` — and I'll summarize what was said there." } },
        },
      ],
      run: (request) => this.summarize(request),
    };
  }

  async summarize(request: WorkflowRequest): Promise<Reply> {
    const { inbound, intent } = request;
    const result = await this.deps.engine.start(SUMMARIZE_WORKFLOW, { inbound } satisfies SummarizeInput, { teamId: inbound.territory, channelId: inbound.room.id, threadTs: inbound.threadTs }, {
      onProgress: (snapshot) => request.progress.update(progressLine(snapshot, PHRASES)),
    });
    const read = result.outputs.read as ReadOutput | undefined;
    const done = result.outputs.summary as { summary: ThreadSummary; note?: string } | undefined;
    if (!read || !done) return { kind: "reply", text: "I couldn't read this thread to summarize it. Please try again in a minute.", intent };
    if (read.messages.length === 0) return { kind: "reply", text: "I don't see any earlier messages in this thread to summarize.", intent };
    const names = (result.outputs.names as Record<string, string> | undefined) ?? {};
    const notes = [coverageNote(read), done.note].filter((n): n is string => n !== undefined);
    const body = summaryBody({ summary: done.summary, names, messages: read.messages.length, notes });
    return { kind: "reply", text: body.text, blocks: body.blocks, intent };
  }

  /** The request's own history when it is the whole thread; otherwise the thread context's read. */
  async #read(inbound: Inbound): Promise<ReadOutput> {
    const people = (messages: Array<{ ts: string; user?: string; fromPiper: boolean; text: string }>) =>
      messages.filter((m) => !m.fromPiper && m.text.trim() !== "").map((m) => ({ ts: m.ts, ...(m.user ? { user: m.user } : {}), text: m.text }));
    const history = inbound.history;
    // The history starts at the thread's first message and wasn't cut to its limit: nothing more to read.
    if (history[0]?.ts === inbound.threadTs && history.length < HISTORY_LIMIT) return { messages: people(history), complete: true };
    const read = await this.deps.readThread(inbound);
    return { messages: people(read.messages), complete: read.complete, ...(read.total !== undefined ? { total: read.total } : {}), ...(read.gap ? { gap: read.gap } : {}) };
  }

  async #names(ctx: TaskContext<SummarizeInput>): Promise<Record<string, string>> {
    const lookup = this.deps.userName;
    const read = ctx.inputs.read as ReadOutput;
    if (!lookup) return {};
    const ids = [...new Set(read.messages.flatMap((m) => [...(m.user ? [m.user] : []), ...[...m.text.matchAll(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g)].map((x) => x[1]!)]))].slice(0, MAX_NAMES);
    const found = await Promise.all(ids.map(async (id) => [id, await lookup(id).catch(() => undefined)] as const));
    return Object.fromEntries(found.filter((f): f is readonly [string, string] => f[1] !== undefined));
  }

  async #summarize(ctx: TaskContext<SummarizeInput>): Promise<{ summary: ThreadSummary; note?: string }> {
    const read = ctx.inputs.read as ReadOutput;
    const names = (ctx.inputs.names as Record<string, string> | undefined) ?? {};
    const model = this.deps.model();
    if (!model || read.messages.length === 0) return { summary: extractiveSummary(read.messages) };
    try {
      return { summary: await modelSummary(model, read.messages, names, ctx.signal) };
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      this.deps.logger.warn({ err }, "the model couldn't summarize the thread; summarizing it extractively");
      const why = err instanceof SummaryFailed ? err.userMessage : isIntegrationError(err) && "userMessage" in err ? String((err as { userMessage: string }).userMessage) : "the model failed";
      return { summary: extractiveSummary(read.messages), note: `The model couldn't summarize it (${why.replace(/[.]$/, "")}), so this is the extractive summary.` };
    }
  }
}

function inThread(inbound: Inbound): boolean {
  return inbound.threadTs !== undefined && inbound.ts !== undefined && inbound.threadTs !== inbound.ts;
}

/** What the summary leaves out, when Piper couldn't read all of the thread. */
function coverageNote(read: ReadOutput): string | undefined {
  if (read.complete) return undefined;
  const of = read.total !== undefined ? ` of about ${read.total}` : "";
  const why =
    read.gap === "rate-limited"
      ? "Slack lets me read a thread's history about once a minute and that was just used; ask again in a minute for more"
      : read.gap === "failed"
        ? "Slack didn't let me read the rest of the thread; ask again in a minute for more"
        : "Slack gives me at most 15 messages of a thread's history at a time, and I hadn't seen the rest";
  return `Made from the ${read.messages.length}${of} messages I could see — ${why}.`;
}
