// The repository a workflow acts on, as a critical requirement: resolved without guessing, or asked for — with the
// workspace's projects as buttons, or how to name or link one. Create-issue, review and plan share it.
import type { GitHubClient } from "../integrations/github.js";
import type { LlmClient } from "../integrations/llm.js";
import type { Logger } from "../logger.js";
import type { Reply } from "../routing/router.js";
import type { WorkflowRequest } from "../routing/workflow-dispatcher.js";
import { normalizeSlackText } from "../slack/message-text.js";
import { projectChoiceBody } from "./create-issue/draft-blocks.js";
import { resolveProject, type ProjectResolution } from "./project-resolution.js";
import type { ProjectDirectory } from "./projects.js";
import type { PreCheck, Requirement } from "./registry.js";
import type { WorkflowEngine } from "./engine.js";

export interface RepoSources {
  /** The repository the request's room is linked to (room memory). */
  roomRepo: (inbound: WorkflowRequest["inbound"]) => Promise<string | undefined>;
  projects: Pick<ProjectDirectory, "list">;
}

export interface RepoQuestion {
  /** "Which repository should the issue go in?", "Which repository should I review?" */
  question: string;
  /** A request naming one: "review open bugs in acme/web". */
  example: string;
}

export function repoRequirement<C extends { repo: string }>(sources: RepoSources, ask: RepoQuestion): Requirement<C> {
  return {
    key: "repo",
    level: "critical",
    resolve: async (request) => {
      const resolution = await resolveProject({
        entities: request.intent.entities,
        roomRepo: () => sources.roomRepo(request.inbound),
        projects: () => sources.projects.list(request.inbound.territory),
      });
      return resolution.kind === "resolved" ? { found: true, value: resolution.repo as C["repo"] } : { found: false, ask: askForRepo(resolution, request, ask) };
    },
  };
}

/**
 * The pre-execution check every GitHub workflow makes: while GitHub's breaker is open, one sentence saying
 * what can't be done (`cannot`: "review its issues") instead of a run that would fail part-way.
 */
export function githubAnswering<C>(githubOpen: () => boolean, cannot: string, afterwards = ""): PreCheck<C> {
  return async () => (githubOpen() ? { kind: "reply", text: `GitHub isn't answering right now, so I can't ${cannot}. Please ask again in a few minutes${afterwards}.` } : undefined);
}

export function askForRepo(resolution: Exclude<ProjectResolution, { kind: "resolved" }>, request: WorkflowRequest, ask: RepoQuestion): Reply {
  const how = `Name it (for example “${ask.example}”), or link this channel once with \`@piper this channel is acme/web\`.`;
  if (resolution.kind === "missing") return { kind: "reply", text: `${ask.question} ${resolution.why.charAt(0).toUpperCase()}${resolution.why.slice(1)}. ${how}` };
  const body = projectChoiceBody(`${ask.question} (${resolution.why}) Pick one — nothing happens until you do:`, resolution.candidates, normalizeSlackText(request.inbound.text).text);
  return { kind: "reply", text: body.text, blocks: body.blocks };
}

/** What a workflow that reads one repository from GitHub is given (review, plan). */
export interface RepoWorkflowDeps extends RepoSources {
  engine: WorkflowEngine;
  github: GitHubClient;
  /** Whether GitHub reads would be refused right now (its breaker is open). */
  githubOpen: () => boolean;
  /** The model, when one is configured and its breaker isn't open. */
  model: () => Pick<LlmClient, "createMessage"> | undefined;
  now?: () => Date;
  logger: Logger;
}
