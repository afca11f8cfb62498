// The registry validates a workflow's context before it runs: a missing critical piece is one question and nothing runs.
import { describe, expect, it } from "vitest";
import { noEntities, type Intent } from "../../src/routing/intent.js";
import type { WorkflowRequest } from "../../src/routing/workflow-dispatcher.js";
import { WorkflowRegistry, type WorkflowDefinition } from "../../src/workflows/registry.js";

const intent: Intent = { category: "EXECUTION", action: "create_issue", confidence: 1, source: "pre", entities: noEntities() };
const request = { intent, inbound: { id: "Ev1", source: "mention", territory: "T1", room: { id: "C1", kind: "channel" }, user: "U1", text: "x", history: [] }, progress: { update() {} }, signal: new AbortController().signal } as WorkflowRequest;

function definition(found: { repo?: string; title?: string; hint?: string }, check?: string): WorkflowDefinition<{ repo: string; title: string; hint: string }> & { ran: unknown[] } {
  const ran: unknown[] = [];
  return {
    ran,
    type: "t",
    handles: ["EXECUTION:create_issue"],
    requirements: [
      { key: "hint", level: "optional", resolve: async () => (found.hint ? { found: true, value: found.hint } : { found: false }) },
      { key: "title", level: "important", resolve: async () => (found.title ? { found: true, value: found.title } : { found: false, note: "No title given." }) },
      { key: "repo", level: "critical", resolve: async () => (found.repo ? { found: true, value: found.repo } : { found: false, ask: { kind: "reply", text: "Which repo?" } }) },
    ],
    checks: [async () => (check ? { kind: "reply", text: check } : undefined)],
    run: async (_r, context, notes) => {
      ran.push({ context, notes });
      return { kind: "reply", text: "ran" };
    },
  };
}

describe("WorkflowRegistry", () => {
  it("finds a workflow by category and action, and refuses two for one action", () => {
    const registry = new WorkflowRegistry();
    const def = definition({});
    registry.register(def);
    expect(registry.forIntent(intent)).toBe(def);
    expect(registry.forIntent({ category: "EXECUTION", action: "close_issue" })).toBeUndefined();
    expect(() => registry.register(definition({}))).toThrow(/two workflows handle EXECUTION:create_issue/);
  });

  it("asks for a missing critical piece and runs nothing", async () => {
    const registry = new WorkflowRegistry();
    const def = definition({ title: "t" });
    registry.register(def);
    expect(await registry.dispatch(registry.forIntent(intent)!, request)).toEqual({ kind: "reply", text: "Which repo?", intent });
    expect(def.ran).toEqual([]);
  });

  it("runs without an important piece, saying what it lacked; optional pieces are used when present", async () => {
    const registry = new WorkflowRegistry();
    const def = definition({ repo: "acme/web", hint: "h" });
    registry.register(def);
    await registry.dispatch(registry.forIntent(intent)!, request);
    expect(def.ran).toEqual([{ context: { repo: "acme/web", hint: "h" }, notes: ["No title given."] }]);
  });

  it("a failed pre-execution check stops the run with its sentence", async () => {
    const registry = new WorkflowRegistry();
    const def = definition({ repo: "acme/web", title: "t" }, "GitHub is down.");
    registry.register(def);
    expect(await registry.dispatch(registry.forIntent(intent)!, request)).toMatchObject({ text: "GitHub is down." });
    expect(def.ran).toEqual([]);
  });
});
