// The standup, on demand: which repositories (the message, the room's link, the workspace default — else every repository
// the token sees, capped, and said so), one engine task per repository read in parallel (a failed one is a sentence, the
// rest still answers), then who is who on Slack, an optional model summary, and Block Kit per person.
import type { PrismaClient } from "../../generated/prisma/client.js";
import { resolveRepos } from "../../handlers/project-scope.js";
import { isIntegrationError } from "../../integrations/errors.js";
import type { GitHubClient } from "../../integrations/github.js";
import type { LlmClient } from "../../integrations/llm.js";
import type { NotionParent } from "../../integrations/notion.js";
import type { Logger } from "../../logger.js";
import { extractEntities } from "../../routing/entities.js";
import { noEntities, type Entities } from "../../routing/intent.js";
import type { Reply } from "../../routing/router.js";
import type { WorkflowRequest } from "../../routing/workflow-dispatcher.js";
import { normalizeSlackText } from "../../slack/message-text.js";
import type { WorkflowEngine } from "../engine.js";
import { notionBlocks, sectionsFromSlack, type PageRequest } from "../notion-page/page-offers.js";
import { progressLine } from "../progress.js";
import { resolveProject } from "../project-resolution.js";
import type { ProjectDirectory } from "../projects.js";
import { githubAnswering } from "../repo-requirement.js";
import type { WorkflowDefinition } from "../registry.js";
import type { ProgressSnapshot, TaskSpec, WorkflowResult } from "../types.js";
import { readRepoActivity, type RepoActivity } from "./activity.js";
import { digest } from "./digest.js";
import type { PeopleDirectory, SlackPerson } from "./people.js";
import { renderStandup } from "./render.js";
import { factsText, modelSummary } from "./summary.js";
import { standupWindow, type StandupWindow } from "./window.js";

export const STANDUP_WORKFLOW = "standup";
/** At most this many repositories per standup: one engine task each (the engine's specs are fixed, so the slots are too). */
export const MAX_STANDUP_REPOS = 10;

export interface StandupDeps {
  engine: WorkflowEngine;
  github: GitHubClient;
  prisma: PrismaClient;
  /** Whether GitHub reads would be refused right now (its breaker is open). */
  githubOpen: () => boolean;
  /** The model, when one is configured and its breaker isn't open. */
  model: () => Pick<LlmClient, "createMessage"> | undefined;
  projects: ProjectDirectory;
  /** The repository a channel is linked to (room memory). */
  roomRepo: (teamId: string, channelId: string) => Promise<string | undefined>;
  people: PeopleDirectory;
  /** The channel's time zone (PIPER_TIME_ZONE until Piper knows each channel's). */
  timeZone: string;
  now?: () => Date;
  logger: Logger;
  /** "standup … to notion": where the page goes (undefined: not set up) and how a page is offered for a click. */
  notion?: { parent: NotionParent | undefined; offer: (request: PageRequest) => Promise<unknown[]> };
}

/** "standup to notion", "standup for web in notion": the answer offers the same standup as a Notion page. */
const TO_NOTION = /\b(?:to|in|into|on)\s+notion\b/i;

/** What the scheduler (or anyone) asks for: a channel's standup, from its words if any, as of `now`. */
export interface StandupRequest {
  teamId: string;
  channelId: string;
  text?: string;
  now?: Date;
}

interface Scope {
  repos: string[];
  note?: string;
}

interface StandupInput {
  teamId: string;
  repos: string[];
  from: string;
  to: string;
  now: string;
}

type StandupContext = { scope: Scope };

const repoTask = (i: number) => `repo-${i}`;
const REPO_TASKS = Array.from({ length: MAX_STANDUP_REPOS }, (_, i) => repoTask(i));

export class StandupWorkflow {
  readonly #now: () => Date;

  constructor(private readonly deps: StandupDeps) {
    this.#now = deps.now ?? (() => new Date());
    this.#register();
  }

  /** The registry's entry: the scope is critical (a project named but not linked is asked about); GitHub must be up. */
  definition(): WorkflowDefinition<StandupContext> {
    return {
      type: "standup",
      handles: ["STATUS:standup"],
      requirements: [
        {
          key: "scope",
          level: "critical",
          resolve: async (request) => {
            const scope = await this.#scope(request.inbound.territory, request.inbound.room.id, request.intent.entities);
            return "repos" in scope ? { found: true, value: scope } : { found: false, ask: scope };
          },
        },
      ],
      checks: [githubAnswering(this.deps.githubOpen, "write the standup from it")],
      run: async (request, context) => {
        const answer = await this.#standup(request.inbound.territory, request.inbound.room.id, context.scope!, this.#now(), (s) => request.progress.update(s));
        const offer = TO_NOTION.test(request.inbound.text) ? await this.#notionOffer(request, answer) : [];
        return { kind: "reply", text: answer.text, blocks: [...answer.blocks, ...offer], intent: request.intent };
      },
    };
  }

  /** The blocks that offer the standup as a Notion page (created only on the asker's click), or say how to set it up. */
  async #notionOffer(request: WorkflowRequest, answer: { text: string; blocks: unknown[] }): Promise<unknown[]> {
    const parent = this.deps.notion?.parent;
    if (!this.deps.notion || !parent) {
      return [{ type: "context", elements: [{ type: "mrkdwn", text: "To save standups to Notion, whoever runs Piper sets `PIPER_NOTION_PARENT` (a page or database shared with Piper's Notion integration)." }] }];
    }
    const header = (answer.blocks[0] as { type?: string; text?: { text?: string } } | undefined)?.text?.text ?? "Standup";
    const { inbound } = request;
    return this.deps.notion.offer({
      requestId: `standup:${inbound.id}`,
      teamId: inbound.territory,
      channelId: inbound.room.id,
      ...(inbound.threadTs ? { threadTs: inbound.threadTs } : {}),
      requestedBy: inbound.user,
      parent,
      title: header,
      blocks: notionBlocks(sectionsFromSlack(answer.blocks)),
    });
  }

  /** The scheduler's entry point: the same standup a person gets by asking in that channel. */
  async runStandup(request: StandupRequest): Promise<{ text: string; blocks: unknown[] }> {
    const now = request.now ?? this.#now();
    const entities = request.text ? await this.#entities(request.text, now) : noEntities();
    const scope = await this.#scope(request.teamId, request.channelId, entities);
    if (!("repos" in scope)) return { text: scope.text, blocks: scope.blocks ?? [{ type: "section", text: { type: "mrkdwn", text: scope.text } }] };
    if (this.deps.githubOpen()) {
      const text = "GitHub isn't answering right now, so I couldn't write the standup from it.";
      return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
    }
    return this.#standup(request.teamId, request.channelId, scope, now);
  }

  /**
   * The repositories: the ones the message names (all of them: a standup may cover several), else the room's
   * link, else the workspace's default, else every repository the token sees, capped. A reply when none.
   */
  async #scope(teamId: string, channelId: string, entities: Pick<Entities, "repos" | "projects">): Promise<Scope | Reply> {
    const resolution = await resolveProject({ entities, roomRepo: () => this.deps.roomRepo(teamId, channelId), projects: () => this.deps.projects.list(teamId) });
    if (resolution.kind === "resolved") return { repos: [resolution.repo], ...(resolution.via === "room" ? { note: "this channel's repository" } : resolution.via === "default" ? { note: "the workspace's default repository" } : {}) };
    if (resolution.kind === "ambiguous" && entities.repos.length + entities.projects.length > 1) {
      const named = await this.#named(teamId, entities);
      return { repos: named.slice(0, MAX_STANDUP_REPOS), ...(named.length > MAX_STANDUP_REPOS ? { note: `the first ${MAX_STANDUP_REPOS} of the ${named.length} named` } : {}) };
    }
    if (resolution.kind === "missing" && (entities.repos.length > 0 || entities.projects.length > 0)) {
      return { kind: "reply", text: `I can't write that standup: ${resolution.why}. Link it with \`@piper this channel is owner/repo\`, or name the repository (\`standup for acme/web\`).` };
    }
    // Nothing names a repository and nothing is linked: every repository the token sees, the most recently active first.
    try {
      const all = await resolveRepos(noEntities(), { prisma: this.deps.prisma, github: this.deps.github }, { max: MAX_STANDUP_REPOS });
      if (all.repos.length === 0) return { kind: "reply", text: `${all.note ?? "I can't see any GitHub repositories."} Name one (\`standup for acme/web\`) or link this channel with \`@piper this channel is acme/web\`.` };
      const note = all.note ? all.note.replace(/^I looked at /, "").replace(/\.$/, "") : `every repository I can see: this channel isn't linked to one and the workspace has no default`;
      return { repos: all.repos, note };
    } catch (err) {
      if (!isIntegrationError(err)) throw err;
      return { kind: "reply", text: err.userMessage };
    }
  }

  async #named(teamId: string, entities: Pick<Entities, "repos" | "projects">): Promise<string[]> {
    const projects = entities.projects.length > 0 ? await this.deps.projects.list(teamId) : [];
    const repos = [...entities.repos, ...entities.projects.flatMap((name) => projects.find((p) => p.name === name)?.repo ?? [])];
    const seen = new Set<string>();
    return repos.filter((r) => !seen.has(r.toLowerCase()) && seen.add(r.toLowerCase()));
  }

  async #entities(text: string, now: Date): Promise<Entities> {
    const known = (await this.deps.prisma.project.findMany({ select: { name: true } })).map((p) => p.name);
    return extractEntities(normalizeSlackText(text), { knownProjects: known, now, timeZone: this.deps.timeZone });
  }

  async #standup(teamId: string, channelId: string, scope: Scope, now: Date, progress?: (line: string) => void): Promise<{ text: string; blocks: unknown[] }> {
    const window = standupWindow(now, this.deps.timeZone);
    const input: StandupInput = { teamId, repos: scope.repos, from: window.from.toISOString(), to: window.to.toISOString(), now: now.toISOString() };
    const phrases: Record<string, string> = Object.fromEntries(scope.repos.map((repo, i) => [repoTask(i), `Reading ${repo}`]));
    phrases.people = "Matching people";
    phrases.summary = "Summarising";
    const result = await this.deps.engine.start(STANDUP_WORKFLOW, input, { teamId, channelId }, {
      ...(progress ? { onProgress: (snapshot: ProgressSnapshot) => progress(progressLine(snapshot, phrases)) } : {}),
    });
    return this.#render(result, scope, window, now);
  }

  #render(result: WorkflowResult, scope: Scope, window: StandupWindow, now: Date): { text: string; blocks: unknown[] } {
    const activities = repoOutputs(result, scope.repos.length);
    const failures = scope.repos.flatMap((repo, i) => (activities[i] ? [] : [{ repo, sentence: failureSentence(result, repoTask(i)) }]));
    const read = activities.filter((a): a is RepoActivity => a !== undefined);
    const people = new Map((result.outputs.people as Array<[string, SlackPerson]> | undefined) ?? []);
    const stale = read.flatMap((a) => (a.staleAsOf ? [a.staleAsOf] : [])).sort()[0];
    const summary = typeof result.outputs.summary === "string" ? result.outputs.summary : undefined;
    return renderStandup({
      digest: digest(read, now),
      people,
      window,
      repos: scope.repos,
      ...(scope.note ? { scopeNote: scope.note } : {}),
      failures,
      gaps: read.flatMap((a) => a.gaps),
      ...(stale ? { staleAsOf: stale } : {}),
      ...(summary ? { summary } : {}),
      now,
    });
  }

  #register(): void {
    const { github } = this.deps;
    const repoTasks: Array<TaskSpec<StandupInput, unknown>> = REPO_TASKS.map((name, i) => ({
      name,
      // One repository failing is one sentence in the answer; the others still answer.
      critical: false,
      timeoutMs: 30_000,
      run: async ({ input }) => {
        const repo = input.repos[i];
        return repo ? readRepoActivity(github, repo, { from: new Date(input.from), to: new Date(input.to) }) : null;
      },
    }));
    this.deps.engine.register<StandupInput>(
      {
        type: STANDUP_WORKFLOW,
        thresholdMs: 20_000,
        tasks: [
          ...repoTasks,
          {
            name: "people",
            critical: false,
            optionalDeps: REPO_TASKS,
            timeoutMs: 15_000,
            run: async ({ input, inputs }) => {
              const read = REPO_TASKS.map((t) => inputs[t] as RepoActivity | null | undefined).filter((a): a is RepoActivity => !!a);
              const d = digest(read, new Date(input.now));
              const logins = [...d.people.map((p) => p.login), ...d.quiet.map((q) => q.login)];
              return [...(await this.deps.people.resolve(input.teamId, logins))];
            },
          },
          {
            name: "summary",
            critical: false,
            optionalDeps: [...REPO_TASKS, "people"],
            timeoutMs: 30_000,
            run: async ({ input, inputs, signal }) => {
              const model = this.deps.model();
              if (!model) return null;
              const read = REPO_TASKS.map((t) => inputs[t] as RepoActivity | null | undefined).filter((a): a is RepoActivity => !!a);
              const people = new Map((inputs.people as Array<[string, SlackPerson]> | undefined) ?? []);
              const now = new Date(input.now);
              const facts = factsText(digest(read, now), people, standupWindow(now, this.deps.timeZone));
              try {
                return await modelSummary(model, facts, signal);
              } catch (err) {
                if (signal.aborted) throw err;
                // The standup is complete without it: a failed summary is left out, not apologised for.
                this.deps.logger.warn({ err }, "the model couldn't summarise the standup; leaving the summary out");
                return null;
              }
            },
          },
        ],
      },
      // Interrupted, it is failed: the request it answers is redelivered and the standup read again.
      { resumable: false, answersRequest: true },
    );
  }
}

function repoOutputs(result: WorkflowResult, count: number): Array<RepoActivity | undefined> {
  return Array.from({ length: count }, (_, i) => (result.outputs[repoTask(i)] as RepoActivity | null | undefined) ?? undefined);
}

/** The sentence a repository task failed with (RepoUnreadable's message), or a plain one. */
function failureSentence(result: WorkflowResult, task: string): string {
  const failure = result.failures.find((f) => f.task === task);
  if (!failure) return "I couldn't read it.";
  const m = /^RepoUnreadable: (.*)$/s.exec(failure.error);
  if (m) return m[1]!;
  if (/TimedOut/.test(failure.error)) return "GitHub took too long to answer for it.";
  return "I couldn't read it (something went wrong on my side).";
}
