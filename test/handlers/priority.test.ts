// Pins PRIORITY: open issues ordered by priority label, then blockers, then age, top five with a why; people named get the team's list and an honest note.
import { describe, expect, it } from "vitest";
import { priorities, priorityTier } from "../../src/handlers/priority.js";
import { githubHandlerHarness, hoursAgo, intentFor, NOW, seedIssue } from "../support/github-handlers.js";

const intent = intentFor("PRIORITY");

describe("PRIORITY handlers", () => {
  const harness = githubHandlerHarness();
  const { depsFor, repo } = harness;

  it("reads priority labels in their common spellings, unlabelled above low", () => {
    expect(priorityTier(["bug", "P0"])).toBe(0);
    expect(priorityTier(["Priority: High"])).toBe(0);
    expect(priorityTier(["priority/critical"])).toBe(0);
    expect(priorityTier(["urgent"])).toBe(0);
    expect(priorityTier(["high"])).toBe(1);
    expect(priorityTier(["p2", "p1"])).toBe(1);
    expect(priorityTier(["medium"])).toBe(2);
    expect(priorityTier(["feature"])).toBe(3);
    expect(priorityTier(["low"])).toBe(4);
  });

  it("top priorities across the team: P0, P1, then the oldest unlabelled; the rest counted", async () => {
    const { text } = await priorities(intent("top_priorities"), await depsFor(), NOW);
    expect(text).toBe(
      [
        "Top 5 priorities across 3 repositories:",
        "1. <https://github.com/acme/mobile/issues/1|acme/mobile#1 Crash on launch on Android 15> — P0 · open 1 day · bob",
        "2. <https://github.com/acme/web/issues/1|acme/web#1 Login fails on Safari 17> — P1 · open 1 day · alice",
        "3. <https://github.com/acme/api/issues/3|acme/api#3 Deprecate v1 endpoints> — open 6 days · unassigned",
        "4. <https://github.com/acme/mobile/issues/2|acme/mobile#2 Offline mode for tasks> — open 3 days · carol",
        "5. <https://github.com/acme/web/issues/2|acme/web#2 Dark mode for settings> — open 2 days · carol",
        "_1 more open issue ranks lower._",
      ].join("\n"),
    );
  });

  it("within a tier a blocker comes first, then age; low priority ranks under unlabelled", async () => {
    repo("web").issues.push(
      seedIssue({ number: 40, title: "Payment provider sunset", labels: ["priority: high"], createdAt: hoursAgo(12 * 24) }),
      seedIssue({ number: 41, title: "Release notes tooling", labels: ["P1", "blocker"], assignees: ["dan"], createdAt: hoursAgo(2) }),
      seedIssue({ number: 42, title: "Ancient typo", labels: ["low"], createdAt: hoursAgo(90 * 24) }),
    );
    const { text } = await priorities(intent("what_first", { repos: ["acme/web"] }), await depsFor(), NOW);
    expect(text).toBe(
      [
        "Start with <https://github.com/acme/web/issues/40|#40 Payment provider sunset> — P0 · open 12 days · unassigned",
        "",
        "Then:",
        "2. <https://github.com/acme/web/issues/41|#41 Release notes tooling> — P1 · opened today · blocker · dan",
        "3. <https://github.com/acme/web/issues/1|#1 Login fails on Safari 17> — P1 · open 1 day · alice",
        "4. <https://github.com/acme/web/issues/2|#2 Dark mode for settings> — open 2 days · carol",
        "5. <https://github.com/acme/web/issues/42|#42 Ancient typo> — low priority · open 90 days · unassigned",
      ].join("\n"),
    );
  });

  it("a person named: says it can't map Slack people to GitHub yet and shows the team's list", async () => {
    const { text } = await priorities(intent("what_first", { people: ["U0ALICE"], repos: ["acme/mobile"] }), await depsFor(), NOW);
    expect(text.split("\n").slice(0, 3)).toEqual([
      "_I can't map Slack people to GitHub logins yet, so here's the team's list._",
      "",
      "Start with <https://github.com/acme/mobile/issues/1|#1 Crash on launch on Android 15> — P0 · open 1 day · bob",
    ]);
  });

  it("says plainly when there is nothing open", async () => {
    harness.github.repos.push({ owner: "acme", name: "docs", description: "Docs", private: false, issues: [], commits: [] });
    const { text } = await priorities(intent("top_priorities", { repos: ["acme/docs"] }), await depsFor(), NOW);
    expect(text).toBe("No open issues in acme/docs — nothing to prioritise.");
  });

  it("a repository GitHub fails for says its sentence under the list of the others", async () => {
    const deps = await depsFor({ PIPER_BREAKER_FAILURES: "100" });
    harness.github.push((req) => (req.path.startsWith("/repos/acme/mobile/") ? { status: 502, body: { message: "Server Error" } } : undefined), 20);
    const { text } = await priorities(intent("top_priorities"), deps, NOW);
    expect(text).toContain("1. <https://github.com/acme/web/issues/1|acme/web#1 Login fails on Safari 17> — P1");
    expect(text).not.toContain("acme/mobile#");
    expect(text).toMatch(/\n\n_acme\/mobile: GitHub is unavailable right now — [^\n]*_$/);
  });

  it("with GitHub down, the answer is its one sentence", async () => {
    harness.github.failNext(50, 503);
    const { text } = await priorities(intent("top_priorities"), await depsFor(), NOW);
    expect(text).toMatch(/^GitHub is unavailable right now — [^\n]*\.$/);
  });
});
