// "Plan the next sprint for mobile": open issues, recently closed ones and milestones read in parallel, a proposal
// filled by priority then age up to the velocity budget, and — with a model — a short read of it. It never writes:
// no milestone is created and nothing is assigned; the answer says so.
import type { Issue } from "../../integrations/github.js";
import type { Reply } from "../../routing/router.js";
import type { WorkflowRequest } from "../../routing/workflow-dispatcher.js";
import { progressLine } from "../progress.js";
import { githubAnswering, repoRequirement, type RepoWorkflowDeps } from "../repo-requirement.js";
import type { WorkflowDefinition } from "../registry.js";
import type { TaskContext } from "../types.js";
import { modelRead, readFailureNote } from "../review/model-read.js";
import { proposalBody, proposalFacts } from "./proposal-blocks.js";
import { proposePlan, type ClosedIssue, type PlanIssue, type PlanMilestone, type Proposal } from "./proposal.js";

export const PLAN_WORKFLOW = "sprint-plan";
const VELOCITY_WEEKS = 4;
const DAY_MS = 86_400_000;

export interface PlanDeps extends RepoWorkflowDeps {
  sprintDays: number;
}

interface PlanInput {
  repo: string;
  /** ISO: the clock the plan is computed against, fixed for the run. */
  now: string;
}

const PHRASES: Record<string, string> = { open: "Reading open issues", closed: "Measuring velocity", milestones: "Reading milestones", plan: "Planning", read: "Reading the plan" };

export class PlanWorkflow {
  readonly #now: () => Date;

  constructor(private readonly deps: PlanDeps) {
    this.#now = deps.now ?? (() => new Date());
    const { github } = deps;
    deps.engine.register<PlanInput>(
      {
        type: PLAN_WORKFLOW,
        thresholdMs: 15_000,
        tasks: [
          { name: "open", timeoutMs: 15_000, run: async ({ input }) => (await github.listIssues(input.repo, { state: "open" })).value.map(toPlanIssue) },
          {
            name: "closed",
            critical: false,
            timeoutMs: 15_000,
            run: async ({ input }) => {
              // `since` is GitHub's "updated since": every issue closed in the window was updated in it too.
              const since = new Date(Date.parse(input.now) - VELOCITY_WEEKS * 7 * DAY_MS);
              return (await github.listIssues(input.repo, { state: "closed", since })).value.map((i): ClosedIssue => ({ number: i.number, closedAt: i.closedAt, labels: i.labels }));
            },
          },
          {
            name: "milestones",
            critical: false,
            timeoutMs: 10_000,
            run: async ({ input }) => (await github.listMilestones(input.repo, { state: "open" })).value.map((m): PlanMilestone => ({ title: m.title, url: m.url, dueOn: m.dueOn })),
          },
          { name: "plan", dependsOn: ["open"], optionalDeps: ["closed", "milestones"], run: async (ctx) => this.#plan(ctx) },
          { name: "read", dependsOn: ["plan"], critical: false, timeoutMs: 45_000, run: (ctx) => this.#read(ctx) },
        ],
      },
      { resumable: false, answersRequest: true },
    );
  }

  definition(): WorkflowDefinition<{ repo: string }> {
    return {
      type: "plan",
      handles: ["PLANNING:plan_sprint", "PLANNING:plan_milestone"],
      requirements: [
        repoRequirement<{ repo: string }>(this.deps, { question: "Which repository should I plan for?", example: "plan the next sprint for acme/mobile" }),
      ],
      checks: [githubAnswering(this.deps.githubOpen, "plan from its issues")],
      run: (request, context) => this.plan(request, context.repo!),
    };
  }

  async plan(request: WorkflowRequest, repo: string): Promise<Reply> {
    const { inbound, intent } = request;
    const input: PlanInput = { repo, now: this.#now().toISOString() };
    const result = await this.deps.engine.start(PLAN_WORKFLOW, input, { teamId: inbound.territory, channelId: inbound.room.id, threadTs: inbound.threadTs }, {
      onProgress: (snapshot) => request.progress.update(progressLine(snapshot, PHRASES)),
    });
    const proposal = result.outputs.plan as Proposal | undefined;
    if (!proposal) return { kind: "reply", text: `I couldn't read the open issues of ${repo} from GitHub, so there's no plan. Nothing was changed. Please try again in a few minutes.`, intent };
    const read = result.outputs.read as { read?: string; note?: string } | undefined;
    const notes = [
      result.outputs.milestones === undefined ? "I couldn't read the milestones." : undefined,
      read?.note,
    ].filter((n): n is string => n !== undefined);
    const body = proposalBody({ repo, proposal, ...(read?.read ? { read: read.read } : {}), notes });
    return { kind: "reply", text: body.text, blocks: body.blocks, intent };
  }

  #plan(ctx: TaskContext<PlanInput>): Proposal {
    const closed = ctx.inputs.closed as ClosedIssue[] | undefined;
    const milestones = (ctx.inputs.milestones as PlanMilestone[] | undefined) ?? [];
    return proposePlan(ctx.inputs.open as PlanIssue[], closed, milestones, { now: new Date(ctx.input.now), sprintDays: this.deps.sprintDays, weeks: VELOCITY_WEEKS });
  }

  async #read(ctx: TaskContext<PlanInput>): Promise<{ read?: string; note?: string }> {
    const model = this.deps.model();
    if (!model) return {};
    try {
      return { read: await modelRead(model, `a proposed sprint plan for ${ctx.input.repo} (a proposal only: nothing was changed)`, proposalFacts(ctx.input.repo, ctx.inputs.plan as Proposal), ctx.signal) };
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      this.deps.logger.warn({ err }, "the model couldn't read the plan");
      return { note: readFailureNote(err) };
    }
  }
}

function toPlanIssue(i: Issue): PlanIssue {
  return { number: i.number, title: i.title, url: i.url, labels: i.labels, assignees: i.assignees, createdAt: i.createdAt, milestone: i.milestone?.title ?? null };
}
