// Pins the workflow terminal: QUERY is read from GitHub (saying so while it reads), Slack markup in the question is read as words, and anything else goes to the fallback untouched.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { noEntities, type Intent } from "../../src/routing/intent.js";
import { reply, type RouterResult } from "../../src/routing/router.js";
import type { WorkflowDispatcher, WorkflowRequest } from "../../src/routing/workflow-dispatcher.js";
import type { Inbound } from "../../src/slack/inbound.js";
import { WorkflowDispatcherImpl } from "../../src/workflows/dispatcher.js";
import { startGitHubFake, type GitHubFake } from "../fakes/github.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { integrationsAgainst } from "../support/integrations.js";

const NOW = new Date("2025-06-11T12:00:00.000Z");

const inbound = (text: string): Inbound => ({ id: "Ev1", source: "mention", territory: "T1", room: { id: "C1", kind: "channel" }, user: "U1", text, history: [] }) as Inbound;
const intent = (category: Intent["category"], action: string, entities: Partial<Intent["entities"]> = {}): Intent => ({ category, action, confidence: 1, source: "local", entities: { ...noEntities(), ...entities } });

describe("WorkflowDispatcherImpl", () => {
  let db: TestDatabase;
  let github: GitHubFake;
  let dispatcher: WorkflowDispatcherImpl;
  const handedOn: WorkflowRequest[] = [];
  const fallback: WorkflowDispatcher = {
    async dispatch(request) {
      handedOn.push(request);
      return reply("not yet");
    },
  };
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.dispose());
  beforeEach(async () => {
    handedOn.length = 0;
    github = await startGitHubFake({ now: NOW });
    const { integrations } = await integrationsAgainst({ github });
    dispatcher = new WorkflowDispatcherImpl({ prisma: db.prisma, github: integrations.github, fallback, now: () => NOW });
  });
  afterEach(async () => github.close());

  const run = async (i: Intent, text: string): Promise<{ result: RouterResult; progress: string[] }> => {
    const progress: string[] = [];
    const result = await dispatcher.dispatch({ intent: i, inbound: inbound(text), progress: { update: (s) => progress.push(s) }, signal: new AbortController().signal });
    return { result, progress };
  };

  it("answers QUERY from GitHub, saying it is reading GitHub first", async () => {
    const { result, progress } = await run(intent("QUERY", "lookup_issue", { repos: ["acme/web"] }), "what's <https://github.com/acme/web/issues/2|this one>?");
    expect(progress).toEqual(["Reading GitHub…"]);
    expect(result.kind).toBe("reply");
    expect(result.kind === "reply" && result.text.split("\n")[0]).toBe("*<https://github.com/acme/web/issues/2|acme/web#2 Dark mode for settings>*");
    expect(handedOn).toHaveLength(0);
  });

  it("hands everything else to the fallback, as it came", async () => {
    const i = intent("EXECUTION", "create_issue");
    const { result, progress } = await run(i, "create an issue: login fails");
    expect(result).toEqual(reply("not yet"));
    expect(progress).toEqual([]);
    expect(handedOn.map((r) => r.intent)).toEqual([i]);
  });
});
