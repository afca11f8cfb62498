// Pins that help, the Home tab and suggested prompts show only working capabilities, and grow when one is marked available.
import { describe, expect, it } from "vitest";
import { CAPABILITIES, suggestedPrompts, type Capability } from "../../src/routing/capabilities.js";
import { helpText } from "../../src/routing/help.js";
import { buildHomeView } from "../../src/slack/home-view.js";

const UNBUILT = [/standup/i];

describe("what Piper advertises", () => {
  it("help lists projects, health, help, mentions and DMs — and nothing unbuilt", () => {
    const text = helpText();
    for (const shown of ["/piper projects", "/piper health", "/piper help", "@piper", "direct message", "turn this thread into an issue"]) expect(text).toContain(shown);
    for (const hidden of UNBUILT) expect(text).not.toMatch(hidden);
  });

  it("the Home tab describes Piper and how to use it without promising unbuilt features", () => {
    const text = JSON.stringify(buildHomeView({ integrations: [] }));
    expect(text).toContain("/piper projects");
    for (const hidden of UNBUILT) expect(text).not.toMatch(hidden);
  });

  it("suggested prompts offer only what works today", () => {
    const prompts = suggestedPrompts();
    expect(prompts.map((p) => p.message)).toEqual(["what's blocking us right now?", "what should I work on first?", "projects", "health"]);
    for (const hidden of UNBUILT) expect(JSON.stringify(prompts)).not.toMatch(hidden);
  });

  it("marking a capability available adds it to help and the prompts, with its example", () => {
    const grown: Capability[] = CAPABILITIES.map((c) => (c.subcommand === "standup" ? { ...c, available: true } : c));
    expect(helpText(undefined, grown)).toContain("• `/piper standup` — a standup from recent GitHub activity");
    expect(helpText(undefined, grown)).toContain("standup");
  });
});
