import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ServiceUnavailable } from "../../src/integrations/errors.js";
import type { Integrations } from "../../src/integrations/index.js";
import { startGitHubFake, type GitHubFake } from "../fakes/github.js";
import { integrationsAgainst } from "../support/integrations.js";

const CREATE = /^\/repos\/acme\/web\/issues$/;

describe("fallbacks", () => {
  let fake: GitHubFake;
  let integrations: Integrations;
  beforeEach(async () => {
    fake = await startGitHubFake();
    ({ integrations } = await integrationsAgainst({ github: fake }));
  });
  afterEach(async () => fake.close());

  it("a read falls back to the last good value, marked stale, as a fresh object for every call", async () => {
    const fresh = await integrations.github.listIssues("acme/web");
    expect(fresh.stale).toBe(false);
    fake.failNext(4, 502);
    const first = await integrations.github.listIssues("acme/web");
    const second = await integrations.github.listIssues("acme/web");
    expect(first.stale).toBe(true);
    expect(second.stale).toBe(true);
    if (!first.stale || !second.stale) throw new Error("expected stale reads");
    expect(first.asOf).toBeInstanceOf(Date);
    expect(first.error).toBeInstanceOf(ServiceUnavailable);
    expect(first.value).not.toBe(second.value);
    first.value[0]!.title = "mutated by a careless caller";
    first.value.pop();
    const third = await integrations.github.listIssues("acme/web");
    expect(third.value).toEqual(fresh.value);
  });

  it("a read with nothing cached surfaces the failure", async () => {
    fake.failNext(2, 502);
    await expect(integrations.github.listIssues("acme/api")).rejects.toBeInstanceOf(ServiceUnavailable);
  });

  it("a 404 is not papered over with a cached value", async () => {
    await integrations.github.getIssue("acme/web", 1);
    fake.failNext(1, 404);
    await expect(integrations.github.getIssue("acme/web", 1)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("a write fails closed while GitHub is failing, and never proceeds while the breaker is open", async () => {
    // A 502 leaves a write's outcome unknown: Piper looks (the lookup's first GET fails and is retried) and says it can't confirm.
    fake.failNext(2, 502);
    await expect(integrations.github.createIssue("acme/web", { title: "Login fails" })).rejects.toMatchObject({ code: "OUTCOME_UNKNOWN" });
    const attempted = fake.count("POST", CREATE);
    expect(attempted).toBe(1);
    expect(fake.repos[0]!.issues.some((i) => i.title === "Login fails")).toBe(false);

    fake.failNext(6, 502);
    for (let i = 0; i < 3; i++) await integrations.github.listRepos().catch(() => undefined);
    expect(integrations.policies.github.state).toBe("open");
    const err = await integrations.github.createIssue("acme/web", { title: "Login fails" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceUnavailable);
    expect(fake.count("POST", CREATE)).toBe(attempted);
    expect(fake.repos[0]!.issues.some((i) => i.title === "Login fails")).toBe(false);
  });

  it("a write that succeeds is visible to later reads", async () => {
    const issue = await integrations.github.createIssue("acme/web", { title: "Safari 18 layout", labels: ["bug"], assignees: ["alice"] });
    expect(issue).toMatchObject({ title: "Safari 18 layout", state: "open", labels: ["bug"], assignees: ["alice"] });
    const read = await integrations.github.getIssue("acme/web", issue.number);
    expect(read.value.title).toBe("Safari 18 layout");
  });
});
