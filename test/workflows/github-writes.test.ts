// createIssueOnce: a task's later attempt finds the issue an earlier attempt created (by the key in its
// body, not by its title) instead of creating a second one; with nothing to find, it creates it.
import { describe, expect, it } from "vitest";
import { createIssueOnce } from "../../src/workflows/github-writes.js";
import { withGitHubFake } from "../support/integrations.js";

const CREATE = /^\/repos\/acme\/web\/issues$/;

describe("createIssueOnce", () => {
  const gh = withGitHubFake();

  const titled = (title: string) => gh.fake.repos[0]!.issues.filter((i) => i.title === title);
  const posts = () => gh.fake.count("POST", CREATE);

  it("attempt 1 creates the issue, carrying the key", async () => {
    const issue = await createIssueOnce(gh.integrations.github, "acme/web", { title: "Release notes", idempotencyKey: "run-1:file" }, { attempt: 1 });
    expect(posts()).toBe(1);
    expect(titled("Release notes")).toHaveLength(1);
    expect(titled("Release notes")[0]!.body).toContain("<!-- piper:key=run-1%3Afile -->");
    expect(issue.number).toBe(titled("Release notes")[0]!.number);
  });

  it("attempt 2 returns the issue attempt 1 created, and sends no second POST", async () => {
    const first = await createIssueOnce(gh.integrations.github, "acme/web", { title: "Flaky deploy", idempotencyKey: "run-2:file" }, { attempt: 1 });
    const second = await createIssueOnce(gh.integrations.github, "acme/web", { title: "Flaky deploy", idempotencyKey: "run-2:file" }, { attempt: 2 });
    expect(second.number).toBe(first.number);
    expect(posts()).toBe(1);
    expect(titled("Flaky deploy")).toHaveLength(1);
  });

  it("attempt 2 creates the issue when attempt 1 never did, even beside a look-alike without the key", async () => {
    const now = new Date().toISOString();
    gh.fake.repos[0]!.issues.push({
      number: 901, title: "Flaky deploy", state: "open", isPullRequest: false, assignees: [], labels: [], author: "carol",
      createdAt: now, updatedAt: now, closedAt: null, body: "Filed by hand.",
    });
    const issue = await createIssueOnce(gh.integrations.github, "acme/web", { title: "Flaky deploy", idempotencyKey: "run-3:file" }, { attempt: 2 });
    expect(issue.number).not.toBe(901);
    expect(posts()).toBe(1);
    expect(titled("Flaky deploy")).toHaveLength(2);
  });

  it("a lookup that fails fails the attempt rather than risking a second issue", async () => {
    gh.fake.failNext(2, 503); // the read and its one SDK retry
    await expect(createIssueOnce(gh.integrations.github, "acme/web", { title: "Never twice", idempotencyKey: "run-4:file" }, { attempt: 2 })).rejects.toMatchObject({
      service: "github",
    });
    expect(posts()).toBe(0);
  });

  it("findIssueByKey matches the key exactly, not a key that merely starts the same", async () => {
    await gh.integrations.github.createIssue("acme/web", { title: "One", idempotencyKey: "run-5:file-extra" });
    expect(await gh.integrations.github.findIssueByKey("acme/web", "run-5:file")).toBeUndefined();
    expect(await gh.integrations.github.findIssueByKey("acme/web", "run-5:file-extra")).toMatchObject({ title: "One" });
  });
});
