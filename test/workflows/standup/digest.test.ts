// Pins how repository activity becomes the standup per person: who did what, today's order (priority label, then age), and blockers.
import { describe, expect, it } from "vitest";
import type { RepoActivity, StandupItem } from "../../../src/workflows/standup/activity.js";
import { digest } from "../../../src/workflows/standup/digest.js";

const NOW = new Date("2026-03-16T09:00:00Z");
const at = (hoursAgo: number) => new Date(NOW.getTime() - hoursAgo * 3_600_000).toISOString();

function item(repo: string, number: number, over: Partial<StandupItem> = {}): StandupItem {
  return { repo, kind: "issue", number, title: `Item ${number}`, url: `https://github.com/${repo}/issues/${number}`, labels: [], createdAt: at(48), ...over };
}

function activity(over: Partial<RepoActivity> & { repo: string }): RepoActivity {
  return { merged: [], closed: [], commits: [], reviews: [], openPrs: [], openIssues: [], gaps: [], ...over };
}

describe("the standup digest", () => {
  it("credits merged PRs to authors, closed issues to assignees, reviews to reviewers and commits per repository, across repositories", () => {
    const d = digest(
      [
        activity({
          repo: "acme/web",
          merged: [{ ...item("acme/web", 1, { kind: "pr" }), author: "alice", at: at(20) }],
          closed: [{ ...item("acme/web", 2), people: ["bob", "alice"], at: at(30) }],
          commits: [
            { sha: "a", message: "one", author: "alice", url: "u1", at: at(25) },
            { sha: "b", message: "two", author: "alice", url: "u2", at: at(21) },
          ],
        }),
        activity({
          repo: "acme/api",
          reviews: [{ reviewer: "bob", state: "APPROVED", at: at(22), url: "r", pr: item("acme/api", 9, { kind: "pr" }), prAuthor: "carol" }],
          commits: [{ sha: "c", message: "three", author: "alice", url: "u3", at: at(23) }],
        }),
      ],
      NOW,
    );
    const alice = d.people.find((p) => p.login === "alice")!;
    expect(alice.yesterday.map((x) => x.kind)).toEqual(["merged", "closed", "commits", "commits"]);
    const commits = alice.yesterday.filter((x) => x.kind === "commits");
    expect(commits.map((c) => (c.kind === "commits" ? [c.repo, c.commits.map((k) => k.message)] : []))).toEqual([
      ["acme/web", ["two", "one"]],
      ["acme/api", ["three"]],
    ]);
    const bob = d.people.find((p) => p.login === "bob")!;
    expect(bob.yesterday.map((x) => x.kind)).toEqual(["closed", "reviewed"]);
    // The most active first; carol authored the reviewed PR but did nothing herself, so she isn't shown.
    expect(d.people.map((p) => p.login)).toEqual(["alice", "bob"]);
  });

  it("orders today by priority label, then age, and lists a PR its author is also assigned to once", () => {
    const d = digest(
      [
        activity({
          repo: "acme/web",
          merged: [{ ...item("acme/web", 50, { kind: "pr" }), author: "alice", at: at(20) }],
          openIssues: [
            { ...item("acme/web", 1, { labels: ["p2"], createdAt: at(500) }), assignees: ["alice"] },
            { ...item("acme/web", 2, { labels: ["Priority: High"], createdAt: at(10) }), assignees: ["alice"] },
            { ...item("acme/web", 3, { createdAt: at(900) }), assignees: ["alice"] },
            { ...item("acme/web", 4, { labels: ["low"], createdAt: at(2000) }), assignees: ["alice"] },
            { ...item("acme/web", 5, { labels: ["p2"], createdAt: at(600) }), assignees: ["alice"] },
          ],
          openPrs: [{ ...item("acme/web", 6, { kind: "pr", labels: ["p1"] }), author: "alice", assignees: ["alice"], draft: true, waiting: [] }],
        }),
      ],
      NOW,
    );
    const today = d.people[0]!.today;
    expect(today.map((t) => t.item.number)).toEqual([2, 6, 5, 1, 3, 4]);
    expect(today.find((t) => t.item.number === 6)).toMatchObject({ role: "author", draft: true });
  });

  it("blocks on blocked/blocker labels, review requests older than a day (for the author) and failing checks", () => {
    const d = digest(
      [
        activity({
          repo: "acme/web",
          openIssues: [
            { ...item("acme/web", 1, { labels: ["status: blocked"] }), assignees: ["dan"] },
            { ...item("acme/web", 2, { labels: ["release-blocker"] }), assignees: ["dan"] },
            { ...item("acme/web", 3, { labels: ["bug"] }), assignees: ["dan"] },
          ],
          openPrs: [
            {
              ...item("acme/web", 7, { kind: "pr" }), author: "erin", assignees: [], draft: false,
              checks: { state: "failing", failing: ["ci/test"] },
              waiting: [{ reviewer: "dan", since: at(25) }, { reviewer: "fay", since: at(3) }],
            },
            { ...item("acme/web", 8, { kind: "pr" }), author: "erin", assignees: [], draft: false, checks: { state: "pending", failing: [] }, waiting: [] },
          ],
        }),
      ],
      NOW,
    );
    const dan = d.people.find((p) => p.login === "dan")!;
    expect(dan.blockers).toEqual([
      { kind: "label", item: expect.objectContaining({ number: 1 }), label: "status: blocked" },
      { kind: "label", item: expect.objectContaining({ number: 2 }), label: "release-blocker" },
    ]);
    // Dan's review is asked for: that is his to do today, and the author's blocker once it has waited a day.
    expect(dan.today.filter((t) => t.role === "reviewer").map((t) => t.item.number)).toEqual([7]);
    const erin = d.people.find((p) => p.login === "erin")!;
    expect(erin.blockers).toEqual([
      { kind: "checks", item: expect.objectContaining({ number: 7 }), failing: ["ci/test"] },
      { kind: "review-wait", item: expect.objectContaining({ number: 7 }), reviewer: "dan", since: at(25) },
    ]);
    // Fay was asked 3 hours ago: not a blocker yet, and with nothing done and no blocker she is only counted as quiet.
    expect(d.people.map((p) => p.login).sort()).toEqual(["dan", "erin"]);
    expect(d.quiet).toEqual([{ login: "fay", open: 1 }]);
  });
});
