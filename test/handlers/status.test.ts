// Pins STATUS: per-repository counts for a fixed clock, what counts as blocked, and that a repository (or GitHub) that can't answer says one sentence while the rest still do.
import { describe, expect, it } from "vitest";
import { blockers, projectStatus } from "../../src/handlers/status.js";
import { integrationsAgainst } from "../support/integrations.js";
import { githubHandlerHarness, hoursAgo, intentFor, NOW, seedIssue } from "../support/github-handlers.js";

const intent = intentFor("STATUS");

describe("STATUS handlers", () => {
  const harness = githubHandlerHarness();
  const { depsFor, repo } = harness;

  it("answers per repository, most recently pushed first: open work, the last 7 days, the oldest open PR", async () => {
    const { text } = await projectStatus(intent("project_status"), await depsFor(), NOW);
    expect(text).toBe(
      [
        "Here's where things stand across 3 repositories:",
        "",
        "*acme/web* — 2 open issues · 1 open PR",
        "• Last 7 days: 0 PRs merged, 1 issue closed.",
        "• Oldest open PR: <https://github.com/acme/web/pull/3|#3 Fix Safari login cookie> — open 1 day, by carol.",
        "",
        "*acme/mobile* — 2 open issues · 1 open PR",
        "• Last 7 days: 0 PRs merged, 1 issue closed.",
        "• Oldest open PR: <https://github.com/acme/mobile/pull/3|#3 Push notification settings> — open 1 day, by carol.",
        "",
        "*acme/api* — 2 open issues · 0 open PRs",
        "• Last 7 days: 1 PR merged, 0 issues closed.",
      ].join("\n"),
    );
  });

  it("answers only for the repository the message names, and lists what is labelled blocked", async () => {
    repo("mobile").issues.push(seedIssue({ number: 10, title: "Waiting on Apple review", labels: ["blocked"] }));
    repo("mobile").issues.push(seedIssue({ number: 11, title: "Old closed thing", state: "closed", createdAt: hoursAgo(400), updatedAt: hoursAgo(200), closedAt: hoursAgo(200) }));
    const { text } = await projectStatus(intent("project_status", { repos: ["acme/mobile"] }), await depsFor(), NOW);
    expect(text).toContain("Here's where things stand in acme/mobile:");
    expect(text).toContain("*acme/mobile* — 3 open issues · 1 open PR");
    // Closed 200 hours ago is outside the last 7 days.
    expect(text).toContain("• Last 7 days: 0 PRs merged, 1 issue closed.");
    expect(text).toContain("• Blocked: <https://github.com/acme/mobile/issues/10|#10 Waiting on Apple review> (blocked).");
    expect(text).not.toContain("acme/web");
  });

  it("blockers: labelled items first, then PRs open over 3 days with no update in 2; a fresh PR is not one", async () => {
    repo("web").issues.push(seedIssue({ number: 20, title: "Stalled refactor", isPullRequest: true, author: "dan", createdAt: hoursAgo(5 * 24), updatedAt: hoursAgo(3 * 24) }));
    repo("web").issues.push(seedIssue({ number: 21, title: "Busy PR", isPullRequest: true, createdAt: hoursAgo(5 * 24), updatedAt: hoursAgo(2) }));
    repo("api").issues.push(seedIssue({ number: 30, title: "Needs legal sign-off", labels: ["release-blocker"], createdAt: hoursAgo(12 * 24) }));
    repo("web").issues.push(seedIssue({ number: 22, title: "Waiting on design", isPullRequest: true, labels: ["Blocked"], createdAt: hoursAgo(48) }));
    const { text } = await blockers(intent("blockers"), await depsFor(), NOW);
    expect(text).toBe(
      [
        "3 blockers across 3 repositories:",
        "• <https://github.com/acme/api/issues/30|acme/api#30 Needs legal sign-off> — issue labelled release-blocker · open 12 days",
        "• <https://github.com/acme/web/pull/22|acme/web#22 Waiting on design> — PR labelled Blocked · open 2 days",
        "• <https://github.com/acme/web/pull/20|acme/web#20 Stalled refactor> — PR open 5 days, no update in 3 days · by dan",
      ].join("\n"),
    );
  });

  it("says plainly when nothing is blocked", async () => {
    const { text } = await blockers(intent("blockers", { repos: ["acme/web"] }), await depsFor(), NOW);
    expect(text).toBe(
      "Nothing looks blocked in acme/web: no open issues or PRs are labelled blocked or blocker, and no PR has been waiting more than 3 days without an update.",
    );
  });

  it("with GitHub down and nothing remembered, the answer is GitHub's one sentence", async () => {
    harness.github.failNext(50, 503);
    const { text } = await projectStatus(intent("project_status"), await depsFor(), NOW);
    expect(text).toMatch(/^GitHub is unavailable right now — .*\.$/);
    expect(text.split("\n")).toHaveLength(1);
  });

  it("without GitHub connected, says so in one sentence", async () => {
    const { integrations } = await integrationsAgainst({});
    const { text } = await blockers(intent("blockers", { repos: ["acme/web"] }), { prisma: harness.db.prisma, github: integrations.github }, NOW);
    expect(text).toBe("GitHub isn't connected — set GITHUB_TOKEN.");
  });

  it("a repository GitHub fails for says its sentence; the others still answer", async () => {
    // Enough failures that the breaker stays closed: this is one repository failing, not GitHub.
    const deps = await depsFor({ PIPER_BREAKER_FAILURES: "100" });
    harness.github.push((req) => (req.path.startsWith("/repos/acme/mobile/") ? { status: 503, body: { message: "Service Unavailable" } } : undefined), 20);
    const { text } = await projectStatus(intent("project_status"), deps, NOW);
    expect(text).toContain("*acme/web* — 2 open issues");
    expect(text).toContain("*acme/api* — 2 open issues");
    expect(text).not.toContain("*acme/mobile*");
    expect(text).toMatch(/\n_acme\/mobile: GitHub is unavailable right now — [^\n]*_$/);
  });

  it("a named repository that doesn't exist says so; the other named one still answers", async () => {
    const { text } = await blockers(intent("blockers", { repos: ["acme/nope", "acme/web"] }), await depsFor(), NOW);
    expect(text).toContain("Nothing looks blocked across 2 repositories");
    expect(text).toContain("_acme/nope: I couldn't find the repository acme/nope in GitHub — check the name, and that I have access to it._");
  });

  it("with GitHub down after a good answer, shows what it saw, marked stale", async () => {
    const deps = await depsFor();
    const fresh = await projectStatus(intent("project_status", { repos: ["acme/web"] }), deps, NOW);
    harness.github.failNext(50, 503);
    const { text } = await projectStatus(intent("project_status", { repos: ["acme/web"] }), deps, NOW);
    expect(text.startsWith(fresh.text)).toBe(true);
    expect(text).toMatch(/\n\n_GitHub isn't answering right now; this is what I saw at \d\d:\d\d UTC\._$/);
  });
});
