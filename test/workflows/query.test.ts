// Pins QUERY against the GitHub fake for a fixed clock: counts by label, search ranking, the review list's order, look-ups by number and link, the all-repositories cap, and GitHub down.
import { describe, expect, it } from "vitest";
import { type Entities } from "../../src/routing/intent.js";
import { answerQuery, issueReference, keywords, labelsNamed, type QueryDeps } from "../../src/workflows/query.js";
import type { SeedRepo } from "../fakes/github-seed.js";
import { integrationsAgainst } from "../support/integrations.js";
import { githubHandlerHarness, hoursAgo, intentFor, NOW, seedIssue } from "../support/github-handlers.js";

const intent = intentFor("QUERY");

describe("QUERY", () => {
  const harness = githubHandlerHarness();
  const { depsFor, repo } = harness;
  const ask = async (action: string, text: string, entities: Partial<Entities> = {}, deps?: QueryDeps) => answerQuery(intent(action, entities), text, deps ?? (await depsFor()), NOW);

  describe("count_issues", () => {
    it("counts open issues by the label the message names (“bugs” → bug, any case), per repository with the total", async () => {
      repo("web").issues.push(seedIssue({ number: 10, title: "Checkout button does nothing", labels: ["Bug"] }));
      repo("web").issues.push(seedIssue({ number: 11, title: "Closed bug", labels: ["bug"], state: "closed", closedAt: hoursAgo(2) }));
      const { text, blocks } = await ask("count_issues", "how many open BUGS are there?");
      expect(text).toBe(
        [
          "4 open issues labelled `bug` across 3 repositories:",
          "• *acme/web*: 2 open issues (on GitHub: <https://github.com/acme/web/issues?q=is%3Aopen%20is%3Aissue%20label%3Abug|issues>)",
          "    ◦ <https://github.com/acme/web/issues/1|#1 Login fails on Safari 17>",
          "    ◦ <https://github.com/acme/web/issues/10|#10 Checkout button does nothing>",
          "• *acme/mobile*: 1 open issue (on GitHub: <https://github.com/acme/mobile/issues?q=is%3Aopen%20is%3Aissue%20label%3Abug|issues>)",
          "    ◦ <https://github.com/acme/mobile/issues/1|#1 Crash on launch on Android 15>",
          "• *acme/api*: 1 open issue (on GitHub: <https://github.com/acme/api/issues?q=is%3Aopen%20is%3Aissue%20label%3Abug|issues>)",
          "    ◦ <https://github.com/acme/api/issues/1|#1 Rate limit headers missing on 429>",
        ].join("\n"),
      );
      expect(blocks).toEqual([
        { type: "section", text: { type: "mrkdwn", text: "4 open issues labelled `bug` across 3 repositories:" } },
        { type: "section", text: { type: "mrkdwn", text: text.split("\n").slice(1).join("\n") } },
      ]);
    });

    it("needs every label named; a repository without one of them says so instead of counting", async () => {
      const { text } = await ask("count_issues", "how many p1 bugs are open in web and mobile?", { repos: ["acme/web", "acme/mobile"] });
      expect(text.split("\n")).toEqual([
        "1 open issue labelled `bug` and `p1` across 2 repositories:",
        "• *acme/web*: 1 open issue (on GitHub: <https://github.com/acme/web/issues?q=is%3Aopen%20is%3Aissue%20label%3Abug%20label%3Ap1|issues>)",
        "    ◦ <https://github.com/acme/web/issues/1|#1 Login fails on Safari 17>",
        "• *acme/mobile*: no `p1` label",
      ]);
    });

    it("counts PRs when the message says PRs, and a bare repository name after “in” scopes it", async () => {
      const { text } = await ask("count_issues", "# of open PRs in web?");
      expect(text.split("\n")[0]).toBe("1 open PR in acme/web.");
      expect(text).toContain("<https://github.com/acme/web/pull/3|#3 Fix Safari login cookie>");
      expect(text).not.toContain("open issue");
    });

    it("a question that names no repository is about the room's linked one; one that names a repository is not", async () => {
      const deps = { ...(await depsFor()), roomRepo: async () => "acme/web" };
      expect((await ask("count_issues", "how many open PRs?", {}, deps)).text.split("\n")[0]).toBe("1 open PR in acme/web.");
      expect((await ask("count_issues", "how many open issues does acme/api have?", { repos: ["acme/api"] }, deps)).text.split("\n")[0]).toBe("2 open issues in acme/api.");
    });

    it("without a label named, counts every open issue; “bugs” with no bug label says it counted them all", async () => {
      const { text } = await ask("count_issues", "how many open issues does acme/api have?", { repos: ["acme/api"] });
      expect(text.split("\n")[0]).toBe("2 open issues in acme/api.");
      repo("api").issues.forEach((i) => (i.labels = i.labels.filter((l) => l !== "bug")));
      const bugs = await ask("count_issues", "how many bugs in acme/api", { repos: ["acme/api"] });
      expect(bugs.text.split("\n")[0]).toBe("2 open issues in acme/api.");
      expect(bugs.text).toContain("_This repository has no `bug` label, so I counted every open issue._");
    });

    it("across every repository, capped at the 10 most recently active, says so", async () => {
      for (let k = 0; k < 11; k++) harness.github.repos.push(extraRepo(`lib${k}`, 100 + k));
      const { text, blocks } = await ask("count_issues", "how many open bugs?");
      expect(text.split("\n")[0]).toBe("3 open issues labelled `bug` across 10 repositories:");
      expect(text).toContain("• *acme/lib6*: no `bug` label");
      expect(text).not.toContain("acme/lib7");
      expect(text.endsWith("\n\n_I looked at the 10 most recently active of 14 repositories._")).toBe(true);
      expect(blocks!.at(-1)).toEqual({ type: "context", elements: [{ type: "mrkdwn", text: "_I looked at the 10 most recently active of 14 repositories._" }] });
    });
  });

  describe("find_issues", () => {
    it("ranks by how many words match, then title over label over part of a word, open before closed", async () => {
      const web = repo("web");
      web.issues.push(seedIssue({ number: 11, title: "Safari renders fonts too small", labels: ["ui"] }));
      web.issues.push(seedIssue({ number: 12, title: "Login button misaligned", state: "closed", closedAt: hoursAgo(3), updatedAt: hoursAgo(3) }));
      web.issues.push(seedIssue({ number: 13, title: "Loginless checkout" }));
      web.issues.push(seedIssue({ number: 14, title: "Session expiry too short", labels: ["login"] }));
      const { text } = await ask("find_issues", "find issues about Safari login in acme/web", { repos: ["acme/web"] });
      expect(text.split("\n")).toEqual([
        "5 issues in acme/web matching “safari login”, best matches first:",
        "• <https://github.com/acme/web/issues/1|#1 Login fails on Safari 17> — open · bug, p1",
        "• <https://github.com/acme/web/issues/11|#11 Safari renders fonts too small> — open · ui",
        "• <https://github.com/acme/web/issues/12|#12 Login button misaligned> — closed",
        "• <https://github.com/acme/web/issues/14|#14 Session expiry too short> — open · login",
        "• <https://github.com/acme/web/issues/13|#13 Loginless checkout> — open",
      ]);
    });

    it("shows the top 10 and counts the rest; says plainly when nothing matches", async () => {
      for (let n = 20; n < 32; n++) repo("api").issues.push(seedIssue({ number: n, title: `Webhook retry ${n}`, updatedAt: hoursAgo(n) }));
      const { text } = await ask("find_issues", "search for webhook tickets");
      expect(text.split("\n")[0]).toBe("12 issues across 3 repositories matching “webhook”, best matches first:");
      expect(text.split("\n")).toHaveLength(12);
      expect(text.split("\n")[1]).toBe("• <https://github.com/acme/api/issues/20|acme/api#20 Webhook retry 20> — open");
      expect(text.endsWith("…and 2 more.")).toBe(true);
      const none = await ask("find_issues", "find issues about kubernetes");
      expect(none.text).toBe("I found no issues across 3 repositories matching “kubernetes”.");
    });

    it("uses the issue title the classifier found, and asks when there is nothing to look for", async () => {
      const { text } = await ask("find_issues", "anything on this?", { issueTitle: "dark mode" });
      expect(text.split("\n")[1]).toBe("• <https://github.com/acme/web/issues/2|acme/web#2 Dark mode for settings> — open · feature");
      const empty = await ask("find_issues", "find issues please");
      expect(empty.text).toBe("What should I look for? Give me a word or two from the title or a label — like “find issues about login”.");
    });

    it("“which PRs are waiting for review”: open PRs, no drafts, oldest first with their age", async () => {
      const web = repo("web");
      web.issues.push(seedIssue({ number: 20, title: "Refactor auth", isPullRequest: true, author: "dan", createdAt: hoursAgo(10 * 24) }));
      web.issues.push(seedIssue({ number: 21, title: "WIP: new router", isPullRequest: true, draft: true, createdAt: hoursAgo(20 * 24) }));
      web.issues.push(seedIssue({ number: 22, title: "Bump deps", isPullRequest: true, author: "bob", createdAt: hoursAgo(3 * 24) }));
      const { text, blocks } = await ask("find_issues", "which PRs are waiting for review?");
      expect(text).toBe(
        [
          "4 PRs waiting for review across 3 repositories, oldest first:",
          "• <https://github.com/acme/web/pull/20|acme/web#20 Refactor auth> — open 10 days, by dan",
          "• <https://github.com/acme/web/pull/22|acme/web#22 Bump deps> — open 3 days, by bob",
          "• <https://github.com/acme/mobile/pull/3|acme/mobile#3 Push notification settings> — open 1 day, by carol",
          "• <https://github.com/acme/web/pull/3|acme/web#3 Fix Safari login cookie> — open 1 day, by carol",
          "",
          "_1 draft left out: it isn't asking for review yet._",
        ].join("\n"),
      );
      expect(blocks).toHaveLength(3);
      const none = await ask("find_issues", "which PRs are waiting for review in api");
      expect(none.text).toBe("No open PRs are waiting for review in acme/api.");
    });
  });

  describe("lookup_issue", () => {
    it("by number in a named repository: title, state, labels, assignees, link", async () => {
      repo("web").issues[0]!.milestone = { number: 1, title: "June release", dueOn: "2025-06-20T07:00:00Z" };
      const { text, blocks } = await ask("lookup_issue", "what's issue 1 in acme/web?", { repos: ["acme/web"] });
      expect(text).toBe(
        [
          "*<https://github.com/acme/web/issues/1|acme/web#1 Login fails on Safari 17>*",
          "Issue · open · opened 1 day ago by alice",
          "Labels: `bug`, `p1`",
          "Assignees: alice",
          "Milestone: <https://github.com/acme/web/milestone/1|June release>, due 2025-06-20",
        ].join("\n"),
      );
      expect((blocks![0] as { text: { text: string } }).text.text).toBe("*<https://github.com/acme/web/issues/1|acme/web#1 Login fails on Safari 17>*");
    });

    it("by a GitHub link, whatever the scope; a closed one says when it closed", async () => {
      const url = "https://github.com/acme/mobile/issues/4";
      const { text } = await ask("lookup_issue", `what's the story with ${url}`, { repos: ["acme/mobile"], links: [{ url }] });
      expect(text.split("\n").slice(0, 4)).toEqual([
        "*<https://github.com/acme/mobile/issues/4|acme/mobile#4 Release 2.4 checklist>*",
        "Issue · closed 1 day ago · opened 2 days ago by dan",
        "Labels: `release`",
        "Assignees: alice",
      ]);
    });

    it("a number with no repository is looked for across the scope; a missing one says so", async () => {
      const { text } = await ask("lookup_issue", "what's #3?");
      expect(text.split("\n")).toEqual([
        "There's a #3 in 3 repositories — which did you mean?",
        "• <https://github.com/acme/web/pull/3|acme/web#3 Fix Safari login cookie> — open",
        "• <https://github.com/acme/mobile/pull/3|acme/mobile#3 Push notification settings> — open",
        "• <https://github.com/acme/api/issues/3|acme/api#3 Deprecate v1 endpoints> — open · planning",
      ]);
      const missing = await ask("lookup_issue", "show me issue #99 in acme/web", { repos: ["acme/web"] });
      expect(missing.text).toBe("I couldn't find #99 in acme/web.");
      const vague = await ask("lookup_issue", "look up that issue");
      expect(vague.text).toBe("Which issue? Give me its number (like #42) or its GitHub link.");
    });
  });

  describe("when GitHub can't answer", () => {
    it("GitHub down: the answer is the integration's one sentence", async () => {
      harness.github.failNext(50, 503);
      for (const [action, text] of [["count_issues", "how many open bugs?"], ["find_issues", "find issues about login"], ["lookup_issue", "what's issue 1 in acme/web"]] as const) {
        const deps = await depsFor();
        const { text: answer } = await ask(action, text, action === "lookup_issue" ? { repos: ["acme/web"] } : {}, deps);
        expect(answer).toMatch(/^GitHub is unavailable right now — .*\.$/);
        expect(answer.split("\n")).toHaveLength(1);
      }
    });

    it("without GitHub connected, says so in one sentence", async () => {
      const { integrations } = await integrationsAgainst({});
      const { text } = await answerQuery(intent("count_issues", { repos: ["acme/web"] }), "how many bugs in acme/web", { prisma: harness.db.prisma, github: integrations.github }, NOW);
      expect(text).toBe("GitHub isn't connected — set GITHUB_TOKEN.");
    });
  });
});

describe("reading a question", () => {
  const i = (entities: Partial<Entities> = {}) => intent("find_issues", entities);
  it("keeps the subject, drops stop words, query verbs and repository names", () => {
    expect(keywords(i(), "hey piper can you find me the issues about Login timeouts in acme/web?")).toEqual(["login", "timeouts"]);
    expect(keywords(i(), "search tickets mentioning @bob's #web dark-mode")).toEqual(["dark-mode"]);
  });
  it("names labels singular or plural, any case, and multi-word labels as phrases", () => {
    expect(labelsNamed(["bug", "P1", "good first issue", "feature"], "how many P1 Bugs or good first issues?")).toEqual(["bug", "P1"]);
    expect(labelsNamed(["good first issue"], "count good first issue items")).toEqual(["good first issue"]);
    expect(labelsNamed(["enhancement", "regression"], "how many regressions")).toEqual(["regression"]);
  });
  it("finds issue references: #42, issue 42, owner/name#42, links", () => {
    expect(issueReference(i(), "what's #42")).toEqual({ number: 42 });
    expect(issueReference(i(), "status of issue 42 please")).toEqual({ number: 42 });
    expect(issueReference(i(), "acme/web#7?")).toEqual({ repo: "acme/web", number: 7 });
    expect(issueReference(i({ links: [{ url: "https://github.com/acme/api/pull/9" }] }), "this one")).toEqual({ repo: "acme/api", number: 9 });
    expect(issueReference(i(), "how many bugs")).toBeUndefined();
  });
});

function extraRepo(name: string, hours: number): SeedRepo {
  return { owner: "acme", name, description: name, private: true, issues: [], commits: [{ sha: `${hours}`.padStart(40, "0"), message: "init", author: "erin", date: hoursAgo(hours) }] };
}
