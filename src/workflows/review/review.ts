// "Review open bugs in web" / "what's stale in mobile": open issues, pull requests and labels read in parallel, a
// report by label and age with the oldest, the most discussed, the unowned and the stale — and, with a model, a
// short read of the same facts. Reads only: nothing on GitHub changes.
import type { Issue, PullRequest } from "../../integrations/github.js";
import type { Reply } from "../../routing/router.js";
import type { WorkflowRequest } from "../../routing/workflow-dispatcher.js";
import { normalizeSlackText } from "../../slack/message-text.js";
import { progressLine } from "../progress.js";
import { githubAnswering, repoRequirement, type RepoWorkflowDeps } from "../repo-requirement.js";
import { labelsNamed } from "../query.js";
import type { WorkflowDefinition } from "../registry.js";
import type { TaskContext } from "../types.js";
import { modelRead, readFailureNote } from "./model-read.js";
import { reportBody, reportFacts } from "./report-blocks.js";
import { reviewReport, type ReviewFocus, type ReviewItem, type ReviewReport } from "./report.js";

export const REVIEW_WORKFLOW = "issue-review";

export interface ReviewDeps extends RepoWorkflowDeps {
  staleDays: number;
}

interface ReviewInput {
  repo: string;
  focus: ReviewFocus;
  /** The request's words, for the labels it names. */
  text: string;
  /** ISO: the clock the report is computed against, fixed for the run. */
  now: string;
}

const PHRASES: Record<string, string> = { issues: "Reading issues", pulls: "Reading pull requests", labels: "Reading labels", report: "Grouping", read: "Reading the report" };

/** Which part of the report an action asks for. */
const FOCUS: Record<string, ReviewFocus> = { "REVIEW:review_issues": "issues", "REVIEW:review_prs": "pulls", "REVIEW:stale_items": "stale", "SYNTHESIS:summarize_project": "issues" };

export class ReviewWorkflow {
  readonly #now: () => Date;

  constructor(private readonly deps: ReviewDeps) {
    this.#now = deps.now ?? (() => new Date());
    const { github } = deps;
    deps.engine.register<ReviewInput>(
      {
        type: REVIEW_WORKFLOW,
        thresholdMs: 15_000,
        tasks: [
          { name: "issues", timeoutMs: 15_000, run: async ({ input }) => (await github.listIssues(input.repo, { state: "open" })).value.map(fromIssue) },
          { name: "pulls", critical: false, timeoutMs: 15_000, run: async ({ input }) => (await github.listPullRequests(input.repo, { state: "open" })).value.map(fromPull) },
          { name: "labels", critical: false, timeoutMs: 10_000, run: async ({ input }) => (await github.listLabels(input.repo)).value },
          { name: "report", dependsOn: ["issues"], optionalDeps: ["pulls", "labels"], run: async (ctx) => this.#report(ctx) },
          { name: "read", dependsOn: ["report"], critical: false, timeoutMs: 45_000, run: (ctx) => this.#read(ctx) },
        ],
      },
      // A read-only report: interrupted, it is failed and the redelivered request asks again.
      { resumable: false, answersRequest: true },
    );
  }

  definition(): WorkflowDefinition<{ repo: string }> {
    return {
      type: "review",
      handles: Object.keys(FOCUS),
      requirements: [
        repoRequirement<{ repo: string }>(this.deps, { question: "Which repository should I review?", example: "review open bugs in acme/web" }),
      ],
      checks: [githubAnswering(this.deps.githubOpen, "review its issues")],
      run: (request, context) => this.review(request, context.repo!),
    };
  }

  async review(request: WorkflowRequest, repo: string): Promise<Reply> {
    const { inbound, intent } = request;
    const now = this.#now();
    const input: ReviewInput = { repo, focus: FOCUS[`${intent.category}:${intent.action}`] ?? "issues", text: normalizeSlackText(inbound.text).text, now: now.toISOString() };
    const result = await this.deps.engine.start(REVIEW_WORKFLOW, input, { teamId: inbound.territory, channelId: inbound.room.id, threadTs: inbound.threadTs }, {
      onProgress: (snapshot) => request.progress.update(progressLine(snapshot, PHRASES)),
    });
    const report = result.outputs.report as ReviewReport | undefined;
    if (!report) {
      const failure = result.failures.find((f) => f.task === "issues");
      this.deps.logger.warn({ failure }, "the review couldn't read the open issues");
      return { kind: "reply", text: `I couldn't read the open issues of ${repo} from GitHub, so there's no review. Please try again in a few minutes.`, intent };
    }
    const read = result.outputs.read as { read?: string; note?: string } | undefined;
    const notes = [result.outputs.pulls === undefined ? "I couldn't read the pull requests." : undefined, read?.note].filter((n): n is string => n !== undefined);
    const body = reportBody({ repo, report, now, ...(read?.read ? { read: read.read } : {}), notes });
    return { kind: "reply", text: body.text, blocks: body.blocks, intent };
  }

  #report(ctx: TaskContext<ReviewInput>): ReviewReport {
    const { input } = ctx;
    const repoLabels = Array.isArray(ctx.inputs.labels) ? (ctx.inputs.labels as string[]) : [];
    const labels = labelsNamed(repoLabels, input.text);
    const pulls = ctx.inputs.pulls as ReviewItem[] | undefined;
    return reviewReport(ctx.inputs.issues as ReviewItem[], pulls, { now: new Date(input.now), staleDays: this.deps.staleDays, focus: input.focus, labels });
  }

  async #read(ctx: TaskContext<ReviewInput>): Promise<{ read?: string; note?: string }> {
    const model = this.deps.model();
    if (!model) return {};
    const report = ctx.inputs.report as ReviewReport;
    try {
      return { read: await modelRead(model, `a review of ${ctx.input.repo}'s open issues and pull requests`, reportFacts(ctx.input.repo, report, new Date(ctx.input.now)), ctx.signal) };
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      this.deps.logger.warn({ err }, "the model couldn't read the review");
      return { note: readFailureNote(err) };
    }
  }
}

/** Only what a review reads: the run stores its tasks' outputs. */
function fromIssue(i: Issue): ReviewItem {
  return { number: i.number, title: i.title, url: i.url, labels: i.labels, assignees: i.assignees, createdAt: i.createdAt, updatedAt: i.updatedAt, comments: i.comments ?? 0 };
}

function fromPull(p: PullRequest): ReviewItem {
  return { number: p.number, title: p.title, url: p.url, labels: p.labels ?? [], assignees: [], createdAt: p.createdAt ?? p.updatedAt, updatedAt: p.updatedAt, draft: p.draft ?? false };
}
