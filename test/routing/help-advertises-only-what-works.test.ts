// Pins that help, the Home tab and suggested prompts show only working capabilities, and grow when one is marked available.
import { describe, expect, it } from "vitest";
import { CAPABILITIES, suggestedPrompts, type Capability } from "../../src/routing/capabilities.js";
import { helpText } from "../../src/routing/help.js";
import { buildHomeView } from "../../src/slack/home-view.js";

// Nothing announced is unbuilt today; a planned capability added later goes here.
const UNBUILT: RegExp[] = [];

describe("what Piper advertises", () => {
  it("help lists projects, health, help, mentions and DMs — and nothing unbuilt", () => {
    const text = helpText();
    for (const shown of ["/piper projects", "/piper health", "/piper help", "/piper standup", "@piper", "direct message", "turn this thread into an issue"]) expect(text).toContain(shown);
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
    const planned: Capability = { subcommand: "retro", description: "a retro from the sprint's issues", example: { title: "Retro", message: "retro" }, available: false, notYet: "Retros aren't built yet" };
    expect(helpText(undefined, [...CAPABILITIES, planned])).not.toContain("/piper retro");
    const grown = [...CAPABILITIES, { ...planned, available: true }];
    expect(helpText(undefined, grown)).toContain("• `/piper retro` — a retro from the sprint's issues");
  });

  it("help shows the standup as working", () => {
    expect(helpText()).toContain("• `/piper standup` — a standup from GitHub");
  });
});
