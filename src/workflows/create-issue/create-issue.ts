// "Create an issue": a draft (read in parallel: labels, open issues, the thread's link; then the model or a
// plain draft) offered with Create / Edit / Cancel. Only the Create click by the person who asked writes to
// GitHub, through a resumable run whose write looks before it acts, so a crash or a second click never
// makes a second issue.
import type { GitHubClient, Issue } from "../../integrations/github.js";
import { isIntegrationError, OutcomeUnknown } from "../../integrations/errors.js";
import type { LlmClient } from "../../integrations/llm.js";
import type { Logger } from "../../logger.js";
import type { Reply } from "../../routing/router.js";
import type { WorkflowRequest } from "../../routing/workflow-dispatcher.js";
import { normalizeSlackText } from "../../slack/message-text.js";
import type { MessageBody, SlackPoster } from "../../slack/poster.js";
import type { WorkflowEngine } from "../engine.js";
import { refusalSentence } from "../confirmations.js";
import { createIssueOnce } from "../github-writes.js";
import { progressLine } from "../progress.js";
import type { ProjectDirectory } from "../projects.js";
import { githubAnswering, repoRequirement } from "../repo-requirement.js";
import type { WorkflowDefinition } from "../registry.js";
import type { TaskContext } from "../types.js";
import { DraftFailed, modelDraft, plainDraft, type DraftSource, type IssueDraftContent, type ThreadLine } from "./draft.js";
import { editView, proposalBody, settledBody } from "./draft-blocks.js";
import type { DraftStore, Refusal, StoredDraft } from "./draft-store.js";
import { likelyDuplicate, type LikelyDuplicate } from "./duplicates.js";

export const DRAFT_WORKFLOW = "issue-draft";
export const CREATE_WORKFLOW = "issue-create";

export interface CreateIssueDeps {
  engine: WorkflowEngine;
  github: GitHubClient;
  /** Whether GitHub writes would be refused right now (its breaker is open). */
  githubOpen: () => boolean;
  /** The model, when one is configured and its breaker isn't open. */
  model: () => Pick<LlmClient, "createMessage"> | undefined;
  drafts: DraftStore;
  projects: ProjectDirectory;
  /** The repository the request's room is linked to (room memory). */
  roomRepo: (inbound: WorkflowRequest["inbound"]) => Promise<string | undefined>;
  poster: SlackPoster;
  /** A person's name for the issue body (the thread is quoted with names, not Slack ids). */
  personName?: (userId: string) => Promise<string | undefined>;
  /** Slack's link to a message (the thread's root), or undefined when Slack can't say. */
  permalink: (channel: string, ts: string) => Promise<string | undefined>;
  ttlMs: number;
  now?: () => Date;
  logger: Logger;
}

/** A click on one of a draft's buttons. */
export interface DraftClick {
  draftId: string;
  user: string;
  channel: string;
  /** The message carrying the buttons. */
  messageTs?: string;
  /** For Edit: the modal must be opened within 3 seconds of the click. */
  triggerId?: string;
}

interface DraftInput {
  repo: string;
  request: string;
  issueTitle?: string;
  thread: ThreadLine[];
  channel: string;
  /** The message the permalink points at: the thread's root, or the request itself. */
  linkTs?: string;
}

interface CreateInput {
  draftId: string;
}

const DRAFT_PHRASES: Record<string, string> = { labels: "Reading labels", "open-issues": "Looking for duplicates", permalink: "Linking the thread", names: "Reading names", draft: "Drafting" };

type IssueContext = { repo: string };

export class CreateIssueWorkflow {
  readonly #now: () => Date;

  constructor(private readonly deps: CreateIssueDeps) {
    this.#now = deps.now ?? (() => new Date());
    this.#register();
  }

  /** The registry's entry: the repository is critical (asked for, never guessed); GitHub must be up to draft against it. */
  definition(): WorkflowDefinition<IssueContext> {
    return {
      type: "create-issue",
      handles: ["EXECUTION:create_issue"],
      requirements: [
        repoRequirement<IssueContext>(
          { roomRepo: this.deps.roomRepo, projects: this.deps.projects },
          { question: "Which repository should the issue go in?", example: "create an issue in acme/web: login fails" },
        ),
      ],
      checks: [githubAnswering(this.deps.githubOpen, "draft an issue against it", " — nothing was created")],
      run: (request, context) => this.draft(request, context.repo!),
    };
  }

  /** Drafts (through the engine, progress in the placeholder), stores the draft, and answers with it. */
  async draft(request: WorkflowRequest, repo: string): Promise<Reply> {
    const { inbound, intent } = request;
    const said = normalizeSlackText(inbound.text).text;
    const inThread = inbound.threadTs !== undefined && inbound.ts !== undefined && inbound.threadTs !== inbound.ts;
    const thread: ThreadLine[] = inThread ? inbound.history.filter((m) => !m.fromPiper && m.text.trim() !== "").map((m) => ({ user: m.user, text: normalizeSlackText(m.text).text })) : [];
    const input: DraftInput = {
      repo,
      request: said,
      ...(intent.entities.issueTitle ? { issueTitle: intent.entities.issueTitle } : {}),
      thread,
      channel: inbound.room.id,
      linkTs: inThread ? inbound.threadTs : inbound.ts,
    };
    const result = await this.deps.engine.start(DRAFT_WORKFLOW, input, { teamId: inbound.territory, channelId: inbound.room.id, threadTs: inbound.threadTs }, {
      onProgress: (snapshot) => request.progress.update(progressLine(snapshot, DRAFT_PHRASES)),
    });
    const drafted = result.outputs.draft as { content: IssueDraftContent; note?: string } | undefined;
    if (!drafted) return { kind: "reply", text: "I couldn't draft that issue — nothing was created. Please try again.", intent };
    const open = (result.outputs["open-issues"] as Issue[] | undefined) ?? [];
    const duplicate: LikelyDuplicate | undefined = likelyDuplicate(drafted.content.title, open);
    const notes = [drafted.note, result.outputs["open-issues"] === undefined ? "I couldn't read the open issues, so I didn't check for duplicates." : undefined].filter(
      (n): n is string => n !== undefined,
    );
    const draft = await this.deps.drafts.save({
      requestId: inbound.id,
      teamId: inbound.territory,
      channelId: inbound.room.id,
      ...(inbound.threadTs ? { threadTs: inbound.threadTs } : {}),
      requestedBy: inbound.user,
      repo,
      title: drafted.content.title,
      body: drafted.content.body,
      labels: drafted.content.labels,
      source: thread.length > 0 ? "thread" : "message",
      ...(result.outputs.permalink ? { permalink: result.outputs.permalink as string } : {}),
      ...(duplicate ? { duplicate } : {}),
      expiresAt: new Date(this.#now().getTime() + this.deps.ttlMs),
    });
    const body = proposalBody(draft, { by: drafted.content.by, notes, ttlMinutes: Math.round(this.deps.ttlMs / 60_000) });
    return { kind: "reply", text: body.text, blocks: body.blocks, intent };
  }

  /** Create: one click by the person who asked moves the draft to `creating`; the run does the write. */
  async create(click: DraftClick): Promise<void> {
    const moved = await this.deps.drafts.transition(click.draftId, click.user, "creating", this.#now(), { ...(click.messageTs ? { messageTs: click.messageTs } : {}) });
    if (!moved.ok) return this.#refuse(click, moved.refusal);
    const draft = moved.draft;
    if (draft.messageTs) await this.#update(draft, settledBody(draft));
    const result = await this.deps.engine.start(CREATE_WORKFLOW, { draftId: draft.id } satisfies CreateInput, { teamId: draft.teamId, channelId: draft.channelId, threadTs: draft.threadTs ?? undefined });
    if (result.status !== "failed") return;
    const failure = result.failures.find((f) => f.task === "create");
    const error = result.causes.create;
    const unknown = error instanceof OutcomeUnknown;
    if (!unknown) await this.deps.drafts.reopen(draft.id);
    const sentence = error && isIntegrationError(error) && "userMessage" in error ? String((error as { userMessage: string }).userMessage) : "Something went wrong while creating the issue.";
    this.deps.logger.warn({ draftId: draft.id, failure }, "creating a drafted issue failed");
    const still = await this.deps.drafts.get(draft.id);
    if (still && still.messageTs) await this.#update(still, still.status === "proposed" ? proposalBody(still, { by: "plain", notes: [], ttlMinutes: this.#ttlMinutes() }) : settledBody(still));
    const next = unknown ? "" : " Nothing was created; the draft's buttons still work.";
    await this.#tell(draft.channelId, draft.threadTs ?? undefined, `${sentence}${next}`, `issue-failed:${draft.id}:${result.runId}`);
  }

  /** Cancel: nothing is created; the draft says so and loses its buttons. */
  async cancel(click: DraftClick): Promise<void> {
    const moved = await this.deps.drafts.transition(click.draftId, click.user, "cancelled", this.#now(), { ...(click.messageTs ? { messageTs: click.messageTs } : {}) });
    if (!moved.ok) return this.#refuse(click, moved.refusal);
    if (moved.draft.messageTs) await this.#update(moved.draft, settledBody(moved.draft));
  }

  /** Edit: the modal, prefilled — for the person who asked, while the draft is open. */
  async edit(click: DraftClick): Promise<void> {
    const draft = await this.deps.drafts.get(click.draftId);
    if (!draft) return this.#refuse(click, { kind: "not-found" });
    if (draft.requestedBy !== click.user) return this.#refuse(click, { kind: "not-yours", requestedBy: draft.requestedBy });
    if (draft.status !== "proposed" || draft.expiresAt <= this.#now()) {
      const moved = await this.deps.drafts.transition(draft.id, click.user, "cancelled", new Date(Math.max(this.#now().getTime(), draft.expiresAt.getTime())), {});
      return this.#refuse(click, moved.ok ? { kind: "settled", draft: moved.draft } : moved.refusal);
    }
    if (!click.triggerId) return;
    // Opened first: Slack gives 3 seconds from the click; the message is noted after, for the Save's update.
    await this.deps.poster.call("views.open", (c) => c.views.open({ trigger_id: click.triggerId!, view: editView(draft) as never }));
    if (click.messageTs && !draft.messageTs) await this.deps.drafts.noteMessage(draft.id, click.messageTs);
  }

  /**
   * The modal's Save: errors to show in the modal (Slack's response_action "errors"), or the work to do
   * once it has closed — the draft message shows the new text, buttons and all.
   */
  async submitEdit(input: { draftId: string; user: string; title: string; body: string; labels: string }): Promise<{ errors?: Record<string, string>; after?: () => Promise<void> }> {
    const title = input.title.replace(/\s+/g, " ").trim();
    if (title === "") return { errors: { title: "An issue needs a title." } };
    if (title.length > 256) return { errors: { title: "GitHub titles can be at most 256 characters." } };
    const labels = [...new Set(input.labels.split(",").map((l) => l.trim()).filter(Boolean))];
    const edited = await this.deps.drafts.edit(input.draftId, input.user, { title, body: input.body.trim(), labels }, this.#now());
    if (!edited.ok) {
      const r = edited.refusal;
      const why = r.kind === "not-yours" ? "Only the person who asked can edit this draft." : r.kind === "not-found" ? "That draft no longer exists." : "This draft can't be edited any more (it was created, cancelled or expired).";
      return { errors: { title: why } };
    }
    const draft = edited.draft;
    return { after: () => this.#update(draft, proposalBody(draft, { by: "plain", notes: ["Edited."], ttlMinutes: this.#ttlMinutes() })) };
  }

  #register(): void {
    const { engine, github } = this.deps;
    engine.register<DraftInput>(
      {
        type: DRAFT_WORKFLOW,
        thresholdMs: 10_000,
        tasks: [
          { name: "labels", critical: false, timeoutMs: 10_000, run: async ({ input }) => (await github.listLabels(input.repo)).value },
          {
            name: "open-issues",
            critical: false,
            timeoutMs: 10_000,
            // Only what duplicate detection needs: the output is stored with the run.
            run: async ({ input }) => (await github.listIssues(input.repo, { state: "open" })).value.map((i) => ({ number: i.number, title: i.title, url: i.url, state: i.state })),
          },
          { name: "permalink", critical: false, timeoutMs: 5_000, run: async ({ input }) => (input.linkTs ? ((await this.deps.permalink(input.channel, input.linkTs)) ?? null) : null) },
          {
            name: "names",
            critical: false,
            timeoutMs: 5_000,
            run: async ({ input }) => {
              const ids = [...new Set(input.thread.flatMap((l) => (l.user ? [l.user] : [])))];
              const names = await Promise.all(ids.map(async (id) => [id, (await this.deps.personName?.(id)) ?? null] as const));
              return Object.fromEntries(names.filter(([, n]) => n !== null));
            },
          },
          { name: "draft", optionalDeps: ["labels", "permalink", "names"], timeoutMs: 45_000, run: (ctx) => this.#writeDraft(ctx) },
        ],
      },
      // A draft interrupted by a crash is not resumed: the request it answers is redelivered and drafted again.
      { resumable: false, answersRequest: true },
    );
    engine.register<CreateInput>(
      {
        type: CREATE_WORKFLOW,
        thresholdMs: 15_000,
        tasks: [
          { name: "create", sideEffects: true, timeoutMs: 30_000, run: (ctx) => this.#createTask(ctx) },
          { name: "announce", dependsOn: ["create"], critical: false, sideEffects: true, timeoutMs: 30_000, run: (ctx) => this.#announceTask(ctx) },
        ],
      },
      { resumable: true },
    );
  }

  async #writeDraft(ctx: TaskContext<DraftInput>): Promise<{ content: IssueDraftContent; note?: string }> {
    const { input } = ctx;
    const names = (ctx.inputs.names ?? {}) as Record<string, string>;
    const source: DraftSource = {
      request: input.request,
      ...(input.issueTitle ? { issueTitle: input.issueTitle } : {}),
      thread: input.thread.map((l) => (l.user && names[l.user] ? { ...l, user: names[l.user] } : l)),
      repo: input.repo,
      ...(typeof ctx.inputs.permalink === "string" ? { permalink: ctx.inputs.permalink } : {}),
      labels: Array.isArray(ctx.inputs.labels) ? (ctx.inputs.labels as string[]) : [],
    };
    const model = this.deps.model();
    if (!model) return { content: plainDraft(source) };
    try {
      return { content: await modelDraft(model, source, ctx.signal) };
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      this.deps.logger.warn({ err }, "the model couldn't draft the issue; drafting it plainly");
      const why = err instanceof DraftFailed ? err.message : isIntegrationError(err) && "userMessage" in err ? String((err as { userMessage: string }).userMessage) : "the model failed";
      return { content: plainDraft(source), note: `The model couldn't draft it (${why.replace(/[.]$/, "")}), so this is the plain draft.` };
    }
  }

  async #createTask(ctx: TaskContext<CreateInput>): Promise<{ number: number; url: string }> {
    const draft = await this.deps.drafts.get(ctx.input.draftId);
    if (!draft) throw new Error(`draft ${ctx.input.draftId} is gone`);
    if (draft.status === "created" && draft.issueNumber !== null && draft.issueUrl) return { number: draft.issueNumber, url: draft.issueUrl };
    // The draft's id names the write, so a resumed run, or any later run for the same draft, finds the issue it made.
    const issue = await createIssueOnce(this.deps.github, draft.repo, { title: draft.title, body: draft.body, labels: draft.labels, idempotencyKey: `draft:${draft.id}` }, ctx);
    await this.deps.drafts.markCreated(draft.id, { number: issue.number, url: issue.url });
    return { number: issue.number, url: issue.url };
  }

  async #announceTask(ctx: TaskContext<CreateInput>): Promise<void> {
    const draft = await this.deps.drafts.get(ctx.input.draftId);
    if (!draft || draft.status !== "created") return;
    if (draft.messageTs) await this.#update(draft, settledBody(draft));
    const key = `issue-link:${draft.id}`;
    // A resumed attempt may follow a post that happened: look for it before posting again.
    if (ctx.attempt > 1 && (await this.deps.poster.findByKey(draft.channelId, draft.threadTs ?? undefined, key))) return;
    const text = `Created <${draft.issueUrl}|${draft.repo}#${draft.issueNumber}>: ${draft.title}`;
    await this.deps.poster.postMessage(draft.channelId, draft.threadTs ?? undefined, { text }, { key });
  }

  async #refuse(click: DraftClick, refusal: Refusal): Promise<void> {
    if (refusal.kind === "expired" && (refusal.draft.messageTs ?? click.messageTs)) {
      await this.#update({ ...refusal.draft, messageTs: refusal.draft.messageTs ?? click.messageTs ?? null }, settledBody(refusal.draft));
    }
    await this.#ephemeral(click, refusalSentence(refusal, "draft", (d) => `<${d.issueUrl}|${d.repo}#${d.issueNumber}>`));
  }

  async #ephemeral(click: DraftClick, text: string): Promise<void> {
    const draft = await this.deps.drafts.get(click.draftId);
    const threadTs = draft?.threadTs ?? undefined;
    try {
      // Straight through `call`: an ephemeral mention names the owner without notifying anyone.
      await this.deps.poster.call("chat.postEphemeral", (c) => c.chat.postEphemeral({ channel: click.channel, user: click.user, text, ...(threadTs ? { thread_ts: threadTs } : {}) }));
    } catch (err) {
      this.deps.logger.warn({ err }, "could not tell the person who clicked why nothing happened");
    }
  }

  async #update(draft: Pick<StoredDraft, "channelId" | "messageTs" | "id">, body: MessageBody): Promise<void> {
    if (!draft.messageTs) return;
    try {
      await this.deps.poster.update(draft.channelId, draft.messageTs, body);
    } catch (err) {
      // The draft's state is stored; a message that shows an older state is not worth failing the click.
      this.deps.logger.warn({ err, draftId: draft.id }, "could not update the draft message");
    }
  }

  async #tell(channel: string, threadTs: string | undefined, text: string, key: string): Promise<void> {
    try {
      await this.deps.poster.postMessage(channel, threadTs, { text }, { key });
    } catch (err) {
      this.deps.logger.warn({ err }, "could not post in the draft's thread");
    }
  }

  #ttlMinutes(): number {
    return Math.round(this.deps.ttlMs / 60_000);
  }
}
