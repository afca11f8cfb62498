import { describe, expect, it } from "vitest";
import { ServiceUnavailable } from "../../src/integrations/errors.js";
import { withGitHubFake } from "../support/integrations.js";

const CREATE = /^\/repos\/acme\/web\/issues$/;

describe("fallbacks", () => {
  const gh = withGitHubFake();

  it("a read falls back to the last good value, marked stale, as a fresh object for every call", async () => {
    const fresh = await gh.integrations.github.listIssues("acme/web");
    expect(fresh.stale).toBe(false);
    gh.fake.failNext(4, 502);
    const first = await gh.integrations.github.listIssues("acme/web");
    const second = await gh.integrations.github.listIssues("acme/web");
    expect(first.stale).toBe(true);
    expect(second.stale).toBe(true);
    if (!first.stale || !second.stale) throw new Error("expected stale reads");
    expect(first.asOf).toBeInstanceOf(Date);
    expect(first.error).toBeInstanceOf(ServiceUnavailable);
    expect(first.value).not.toBe(second.value);
    first.value[0]!.title = "mutated by a careless caller";
    first.value.pop();
    const third = await gh.integrations.github.listIssues("acme/web");
    expect(third.value).toEqual(fresh.value);
  });

  it("a read with nothing cached surfaces the failure", async () => {
    gh.fake.failNext(2, 502);
    await expect(gh.integrations.github.listIssues("acme/api")).rejects.toBeInstanceOf(ServiceUnavailable);
  });

  it("a 404 is not papered over with a cached value", async () => {
    await gh.integrations.github.getIssue("acme/web", 1);
    gh.fake.failNext(1, 404);
    await expect(gh.integrations.github.getIssue("acme/web", 1)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("a write fails closed while GitHub is failing, and never proceeds while the breaker is open", async () => {
    // A 502 leaves a write's outcome unknown: Piper looks (the lookup's first GET fails and is retried) and says it can't confirm.
    gh.fake.failNext(2, 502);
    await expect(gh.integrations.github.createIssue("acme/web", { title: "Login fails" })).rejects.toMatchObject({ code: "OUTCOME_UNKNOWN" });
    const attempted = gh.fake.count("POST", CREATE);
    expect(attempted).toBe(1);
    expect(gh.fake.repos[0]!.issues.some((i) => i.title === "Login fails")).toBe(false);

    gh.fake.failNext(6, 502);
    for (let i = 0; i < 3; i++) await gh.integrations.github.listRepos().catch(() => undefined);
    expect(gh.integrations.policies.github.state).toBe("open");
    const err = await gh.integrations.github.createIssue("acme/web", { title: "Login fails" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceUnavailable);
    expect(gh.fake.count("POST", CREATE)).toBe(attempted);
    expect(gh.fake.repos[0]!.issues.some((i) => i.title === "Login fails")).toBe(false);
  });

  it("a write that succeeds is visible to later reads", async () => {
    const issue = await gh.integrations.github.createIssue("acme/web", { title: "Safari 18 layout", labels: ["bug"], assignees: ["alice"] });
    expect(issue).toMatchObject({ title: "Safari 18 layout", state: "open", labels: ["bug"], assignees: ["alice"] });
    const read = await gh.integrations.github.getIssue("acme/web", issue.number);
    expect(read.value.title).toBe("Safari 18 layout");
  });
});
