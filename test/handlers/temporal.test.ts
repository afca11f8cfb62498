// Pins TEMPORAL: what shipped, what's due (milestone due dates, or an honest "nothing has due dates") and recent activity, for a fixed clock and the message's date range.
import { describe, expect, it } from "vitest";
import { due, recentActivity, shipped, sinceRange } from "../../src/handlers/temporal.js";
import { githubHandlerHarness, intentFor, NOW } from "../support/github-handlers.js";

const intent = intentFor("TEMPORAL");

describe("TEMPORAL handlers", () => {
  const harness = githubHandlerHarness();
  const { depsFor, repo } = harness;
  const emptyRepo = () => harness.github.repos.push({ owner: "acme", name: "docs", description: "Docs", private: false, issues: [], commits: [] });

  it("by default looks back to the start of the previous working day: Monday and the weekend look back to Friday", () => {
    const at = (iso: string) => sinceRange(intent("whats_shipped"), new Date(iso));
    expect(at("2025-06-11T12:00:00Z")).toMatchObject({ from: new Date("2025-06-10T00:00:00Z"), phrase: "since Tuesday" });
    expect(at("2025-06-16T09:00:00Z")).toMatchObject({ from: new Date("2025-06-13T00:00:00Z"), phrase: "since Friday" });
    expect(at("2025-06-15T09:00:00Z")).toMatchObject({ from: new Date("2025-06-13T00:00:00Z"), phrase: "since Friday" });
  });

  it("what shipped since the previous working day: merged PRs and closed issues per repository; an unmerged close isn't shipped", async () => {
    const { text } = await shipped(intent("whats_shipped"), await depsFor(), NOW);
    expect(text).toBe(
      [
        "Shipped across 3 repositories since Tuesday:",
        "",
        "*acme/mobile* — 0 PRs merged · 1 issue closed",
        "• Closed <https://github.com/acme/mobile/issues/4|#4 Release 2.4 checklist> — alice",
        "",
        "*acme/api* — 1 PR merged · 0 issues closed",
        "• Merged <https://github.com/acme/api/pull/2|#2 Pagination cursor for /projects> — bob",
        "",
        "_Nothing merged or closed in acme/web._",
      ].join("\n"),
    );
  });

  it("says plainly when nothing shipped, in the message's words for the range", async () => {
    const yesterday = { phrase: "yesterday", from: "2025-06-10T00:00:00.000Z", to: "2025-06-11T00:00:00.000Z" };
    const { text } = await shipped(intent("whats_shipped", { repos: ["acme/web"], dates: [yesterday] }), await depsFor(), NOW);
    expect(text).toBe("Nothing merged or closed in acme/web yesterday.");
  });

  it("on a Monday, nothing shipped reads 'since Friday'", async () => {
    emptyRepo();
    const { text } = await shipped(intent("whats_shipped", { repos: ["acme/docs"] }), await depsFor(), new Date("2025-06-16T09:00:00Z"));
    expect(text).toBe("Nothing merged or closed in acme/docs since Friday.");
  });

  it("what's due, without milestones: says honestly that nothing has a due date", async () => {
    const { text } = await due(intent("whats_due"), await depsFor(), NOW);
    expect(text).toBe("No open issue across 3 repositories is in a milestone with a due date, so I can't tell what's due — GitHub keeps due dates on milestones.");
  });

  it("what's due in the next 7 days: milestones soonest first with their open issues, then the overdue", async () => {
    repo("mobile").issues[0]!.milestone = { number: 3, title: "2.4.1", dueOn: "2025-06-13T07:00:00Z" };
    repo("mobile").issues[1]!.milestone = { number: 3, title: "2.4.1", dueOn: "2025-06-13T07:00:00Z" };
    repo("web").issues[0]!.milestone = { number: 24, title: "Sprint 24", dueOn: "2025-06-20T07:00:00Z" };
    repo("api").issues[2]!.milestone = { number: 1, title: "v1 sunset", dueOn: "2025-06-01T07:00:00Z" };
    const { text } = await due(intent("whats_due"), await depsFor(), NOW);
    expect(text).toBe(
      [
        "Due across 3 repositories in the next 7 days:",
        "",
        "*<https://github.com/acme/mobile/milestone/3|2.4.1>* in acme/mobile — due Fri 13 Jun · 2 open issues",
        "• <https://github.com/acme/mobile/issues/1|#1 Crash on launch on Android 15> — bob",
        "• <https://github.com/acme/mobile/issues/2|#2 Offline mode for tasks> — carol",
        "",
        "*Overdue*",
        "",
        "*<https://github.com/acme/api/milestone/1|v1 sunset>* in acme/api — was due Sun 1 Jun · 1 open issue",
        "• <https://github.com/acme/api/issues/3|#3 Deprecate v1 endpoints> — unassigned",
      ].join("\n"),
    );
  });

  it("nothing due in the named range, when there are due dates outside it", async () => {
    repo("web").issues[0]!.milestone = { number: 24, title: "Sprint 24", dueOn: "2025-06-20T07:00:00Z" };
    const byFriday = { phrase: "by Friday", from: NOW.toISOString(), to: "2025-06-14T00:00:00.000Z" };
    const { text } = await due(intent("whats_due", { repos: ["acme/web"], dates: [byFriday] }), await depsFor(), NOW);
    expect(text).toBe("Nothing is due in acme/web by Friday.");
  });

  it("recent activity: per repository counts, the latest commit, and what opened, merged and closed, newest first", async () => {
    const { text } = await recentActivity(intent("recent_activity"), await depsFor(), NOW);
    const webSha = repo("web").commits[0]!.sha;
    const apiSha = repo("api").commits[1]!.sha;
    expect(text).toContain(
      [
        "Activity across 3 repositories since Tuesday:",
        "",
        "*acme/web* — 2 commits · 1 PR opened · 1 issue opened",
        `• Latest commit <https://github.com/acme/web/commit/${webSha}|\`${webSha.slice(0, 7)}\`> Fix cookie SameSite on Safari — alice`,
        "• PR opened <https://github.com/acme/web/pull/3|#3 Fix Safari login cookie> — carol",
        "• Issue opened <https://github.com/acme/web/issues/1|#1 Login fails on Safari 17> — alice",
      ].join("\n"),
    );
    expect(text).toContain("*acme/mobile* — 3 commits · 1 PR opened · 1 issue opened · 1 issue closed");
    expect(text).toContain(
      [
        "*acme/api* — 2 commits · 1 PR merged · 1 issue opened",
        `• Latest commit <https://github.com/acme/api/commit/${apiSha}|\`${apiSha.slice(0, 7)}\`> Return Retry-After on 429 — dan`,
        "• PR merged <https://github.com/acme/api/pull/2|#2 Pagination cursor for /projects> — bob",
        "• Issue opened <https://github.com/acme/api/issues/1|#1 Rate limit headers missing on 429> — alice",
      ].join("\n"),
    );
  });

  it("no recent activity says so", async () => {
    emptyRepo();
    const { text } = await recentActivity(intent("recent_activity", { repos: ["acme/docs"] }), await depsFor(), NOW);
    expect(text).toBe("No activity in acme/docs since Tuesday — no commits, pull requests or issues opened or closed.");
  });

  it("with GitHub down, each answer is GitHub's one sentence", async () => {
    const deps = await depsFor();
    harness.github.failNext(100, 503);
    for (const handler of [shipped, due, recentActivity]) {
      const { text } = await handler(intent("any", { repos: ["acme/web", "acme/api"] }), deps, NOW);
      expect(text).toMatch(/^GitHub is unavailable right now — [^\n]*\.$/);
    }
  });

  it("a repository GitHub fails for says its sentence; the others still answer", async () => {
    const deps = await depsFor({ PIPER_BREAKER_FAILURES: "100" });
    harness.github.push((req) => (req.path.startsWith("/repos/acme/api/") ? { status: 503, body: { message: "Service Unavailable" } } : undefined), 20);
    const { text } = await shipped(intent("whats_shipped"), deps, NOW);
    expect(text).toContain("*acme/mobile* — 0 PRs merged · 1 issue closed");
    expect(text).not.toContain("*acme/api*");
    expect(text).toMatch(/_Nothing merged or closed in acme\/web\._\n\n_acme\/api: GitHub is unavailable right now — [^\n]*_$/);
  });
});
