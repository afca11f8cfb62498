// Pins the routing graph's wiring: each intent reaches exactly one terminal, announced-but-unbuilt features say so, the no-model note comes once, and feedback is offered only on classifier-routed answers.
import { beforeAll, describe, expect, it } from "vitest";
import type { CanonicalHandlers } from "../../src/handlers/index.js";
import { ContextAssembler } from "../../src/floor/context-assembler.js";
import { ConversationalFloor } from "../../src/floor/floor.js";
import type { PrismaClient } from "../../src/generated/prisma/client.js";
import { createLogger } from "../../src/logger.js";
import { GraphRouter, NO_MODEL_NOTE } from "../../src/routing/graph-router.js";
import { isSubcommand } from "../../src/routing/help.js";
import { IntentResolver } from "../../src/routing/intent-resolver.js";
import { LocalIntentModel } from "../../src/routing/local-intent-model.js";
import { reply, type Reply, type RouterResult } from "../../src/routing/router.js";
import type { WorkflowDispatcher, WorkflowRequest } from "../../src/routing/workflow-dispatcher.js";
import { loadUtterances } from "../../src/routing/utterances/index.js";
import type { Inbound } from "../../src/slack/inbound.js";

const logger = createLogger({ level: "silent" });

/** Records which canonical handler answered; these read GitHub in production and are tested against its fake on their own. */
function recordingHandlers(calls: string[]): CanonicalHandlers {
  const handler = (name: string) => async () => {
    calls.push(name);
    return reply(name.toUpperCase());
  };
  return { projectStatus: handler("projectStatus"), blockers: handler("blockers"), priorities: handler("priorities"), shipped: handler("shipped"), due: handler("due"), recentActivity: handler("recentActivity") };
}

class RecordingWorkflows implements WorkflowDispatcher {
  readonly requests: WorkflowRequest[] = [];
  async dispatch(request: WorkflowRequest): Promise<RouterResult> {
    this.requests.push(request);
    return reply(`WORKFLOW ${request.intent.action}`);
  }
}

describe("the routing graph", () => {
  let local: LocalIntentModel;
  beforeAll(() => {
    local = LocalIntentModel.train(loadUtterances());
  });

  function build() {
    const calls: string[] = [];
    const workflows = new RecordingWorkflows();
    // The floor's categories used here (IDENTITY, UNKNOWN, compound) read no database.
    const assembler = new ContextAssembler({ prisma: undefined as unknown as PrismaClient, storageDescription: "the test database", modelConfigured: () => false });
    const router = new GraphRouter({
      resolver: new IntentResolver({ local, knownProjects: async () => ["mobile"], timeZone: "UTC", failureSentence: () => undefined, logger }),
      floor: new ConversationalFloor({ assembler, logger, failureSentence: () => undefined }),
      workflows,
      handlers: recordingHandlers(calls),
      projects: async () => "PROJECTS",
      health: async () => "HEALTH",
      setup: () => ({ services: [], slackMode: "local" }),
      modelConfigured: () => false,
      logger,
    });
    let n = 0;
    const ask = async (text: string, extra: Partial<Inbound> = {}) =>
      (await router.route(
        { id: `Ev${++n}`, source: "mention", territory: "T1", room: { id: "C1", kind: "channel" }, threadTs: `${n}.0`, ts: `${n}.0`, user: "U1", text, history: [], ...extra },
        { update: () => undefined },
        new AbortController().signal,
      )) as Reply;
    return { router, calls, workflows, ask };
  }

  it("answers the working subcommands from their handlers, without feedback buttons (nothing was guessed)", async () => {
    const { ask } = build();
    expect(await ask("projects", { source: "slash" })).toMatchObject({ text: "PROJECTS", feedback: false, intent: { category: "PORTFOLIO", source: "pre" } });
    expect((await ask("health", { source: "slash" })).text).toBe("HEALTH");
    expect((await ask("help", { source: "slash" })).text).toContain("/piper projects");
  });

  it("sends the standup to the workflow dispatcher; without the spatial layer, focus and watch say they aren't available", async () => {
    const { ask } = build();
    expect((await ask("standup", { source: "slash" })).text).toBe("WORKFLOW standup");
    // This router is built without focus/watch services: it answers rather than failing.
    expect((await ask("watch", { source: "slash" })).text).toBe("`watch` isn't available in this setup.");
    for (const word of ["standup", "focus", "watch", "projects", "health", "help"]) expect(isSubcommand(word)).toBe(true);
    for (const word of ["standp", "issues", ""]) expect(isSubcommand(word)).toBe(false);
  });

  it("sends canonical categories to their handler and workflow categories to the dispatcher, once each", async () => {
    const { ask, calls, workflows } = build();
    const blockers = await ask("what's blocking the mobile release?");
    expect(blockers.intent).toMatchObject({ category: "STATUS", action: "blockers", source: "local" });
    expect(blockers.feedback).toBe(true);
    expect(calls).toEqual(["blockers"]);
    const summary = await ask("can you summarize this thread for me");
    expect(summary.intent?.category).toBe("SYNTHESIS");
    expect(workflows.requests.map((r) => r.intent.action)).toEqual(["summarize_thread"]);
    expect(calls).toEqual(["blockers"]);
  });

  it("hands EXECUTION to the workflow dispatcher, which owns confirmation", async () => {
    const { ask, workflows } = build();
    const result = await ask("create an issue: login fails on Safari");
    expect(result.intent).toMatchObject({ category: "EXECUTION", action: "create_issue", entities: { issueTitle: "login fails on Safari" } });
    expect(workflows.requests).toHaveLength(1);
  });

  it("adds the no-model note once per conversation, only to classifier-routed answers", async () => {
    const { ask } = build();
    const first = await ask("what's blocking the mobile release?", { threadTs: "9.0" });
    const second = await ask("and what shipped yesterday?", { threadTs: "9.0" });
    expect(first.text.startsWith(`_${NO_MODEL_NOTE}_`)).toBe(true);
    expect(second.text).not.toContain(NO_MODEL_NOTE);
    expect((await ask("hi", { threadTs: "10.0" })).text).not.toContain(NO_MODEL_NOTE);
  });

  it("answers a compound request by naming its parts, acting on neither", async () => {
    const { ask, calls, workflows } = build();
    const result = await ask("create an issue for the safari login bug and tell me what's blocking the release");
    expect(result.text).toContain("I see two requests — which first?");
    expect(calls).toEqual([]);
    expect(workflows.requests).toEqual([]);
  });

  it("names what it was asked about without re-pinging anyone in its activity phrase", () => {
    const { router } = build();
    expect(router.activity({ id: "E", source: "mention", territory: "T", room: { id: "C", kind: "channel" }, user: "U", text: "<!channel> please", history: [] })).toBe("answering “@channel please”");
  });
});
