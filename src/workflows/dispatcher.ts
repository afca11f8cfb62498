// The workflow terminal: QUERY is answered here, straight from GitHub; registered workflows are validated and run;
// everything not built yet goes to the fallback (which says so honestly).
import type { PrismaClient } from "../generated/prisma/client.js";
import type { GitHubClient } from "../integrations/github.js";
import type { RouterResult } from "../routing/router.js";
import type { WorkflowDispatcher, WorkflowRequest } from "../routing/workflow-dispatcher.js";
import { normalizeSlackText } from "../slack/message-text.js";
import { answerQuery } from "./query.js";
import type { WorkflowRegistry } from "./registry.js";

export interface WorkflowDispatcherDeps {
  prisma: PrismaClient;
  github: GitHubClient;
  /** Whatever isn't a workflow built here. */
  fallback: WorkflowDispatcher;
  /** The workflows by intent action (create an issue, …); validated before they run. */
  registry?: WorkflowRegistry;
  /** The repository a room is linked to (room memory), for questions that name none. */
  roomRepo?: (inbound: WorkflowRequest["inbound"]) => Promise<string | undefined>;
  /** The clock ages are measured against; tests pin it. */
  now?: () => Date;
}

export class WorkflowDispatcherImpl implements WorkflowDispatcher {
  constructor(private readonly deps: WorkflowDispatcherDeps) {}

  async dispatch(request: WorkflowRequest): Promise<RouterResult> {
    const { intent, inbound, progress } = request;
    const workflow = this.deps.registry?.forIntent(intent);
    if (workflow) return this.deps.registry!.dispatch(workflow, request);
    if (intent.category !== "QUERY") return this.deps.fallback.dispatch(request);
    // A read, not a workflow: no drafts, no confirmation, just what GitHub says.
    progress.update("Reading GitHub…");
    // A labelled link reads as its label ("this one"); the issue it points at is in its URL.
    const message = normalizeSlackText(inbound.text);
    const links = intent.entities.links.length > 0 ? intent.entities.links : message.links;
    const asked = { ...intent, entities: { ...intent.entities, links } };
    const roomRepo = this.deps.roomRepo;
    return answerQuery(asked, message.text, { prisma: this.deps.prisma, github: this.deps.github, roomRepo: roomRepo && (() => roomRepo(inbound)) }, (this.deps.now ?? (() => new Date()))());
  }
}
