// Pins that asking for an announced-but-unbuilt feature gets "not built yet" plus what works, and typos still get help.
import { describe, expect, it } from "vitest";
import { isSubcommand } from "../../src/routing/help.js";
import { MinimalRouter } from "../../src/routing/minimal-router.js";
import type { Inbound } from "../../src/slack/inbound.js";
import type { Reply, Router } from "../../src/routing/router.js";

const router: Router = new MinimalRouter({ health: () => "HEALTH", projects: async () => "PROJECTS" });
const ask = async (text: string) =>
  ((await router.route(
    { id: "Ev1", source: "mention", territory: "T1", room: { id: "C1", kind: "channel" }, user: "U1", text, history: [] } satisfies Inbound,
    { update: () => undefined },
    new AbortController().signal,
  )) as Reply).text;

describe("subcommands that are announced but not built", () => {
  it("standup says it isn't built yet and names what works today", async () => {
    const text = await ask("standup");
    expect(text).toMatch(/^Standups aren't built yet — they're coming; today I can /);
    expect(text).toContain("`projects`");
    expect(text).toContain("`health`");
  });

  it("focus says the same, even with words after it", async () => {
    expect(await ask("focus")).toMatch(/^Focus .* isn't built yet — it's coming; today I can /);
    expect(await ask("standup for acme/web")).toMatch(/^Standups aren't built yet/);
  });

  it("working subcommands still answer", async () => {
    expect(await ask("projects")).toBe("PROJECTS");
    expect(await ask("health")).toBe("HEALTH");
    expect(await ask("help")).toContain("/piper projects");
  });

  it("planned words are recognised (so /piper routes them); typos are not (so /piper shows help)", () => {
    for (const word of ["standup", "focus", "projects", "health", "help"]) expect(isSubcommand(word)).toBe(true);
    for (const word of ["standp", "issues", ""]) expect(isSubcommand(word)).toBe(false);
  });

  it("the fallback for unrecognised text lists only working subcommands", async () => {
    const text = await ask("what is blocking the release");
    expect(text).toContain("For now I can show `projects`, `health` and `help`.");
  });
});
