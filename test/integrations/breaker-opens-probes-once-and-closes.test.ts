import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ServiceUnavailable } from "../../src/integrations/errors.js";
import { startGitHubFake, type GitHubFake } from "../fakes/github.js";
import { integrationsAgainst, sleep } from "../support/integrations.js";
import type { Integrations } from "../../src/integrations/index.js";

const REPOS = /^\/user\/repos$/;

describe("GitHub's circuit breaker", () => {
  let fake: GitHubFake;
  let integrations: Integrations;
  let log: Awaited<ReturnType<typeof integrationsAgainst>>["log"];
  beforeEach(async () => {
    fake = await startGitHubFake();
    ({ integrations, log } = await integrationsAgainst({ github: fake }));
  });
  afterEach(async () => fake.close());

  async function openBreaker() {
    // Octokit's retry plugin retries a 5xx once, so each call costs two requests.
    fake.failNext(6, 502);
    for (let i = 0; i < 3; i++) await expect(integrations.github.listIssues("acme/web")).rejects.toBeInstanceOf(ServiceUnavailable);
    expect(integrations.policies.github.state).toBe("open");
  }

  it("opens after the threshold; while open, calls fail fast and GitHub sees no request", async () => {
    await openBreaker();
    const before = fake.calls.length;
    const err = await integrations.github.listIssues("acme/mobile").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceUnavailable);
    expect((err as ServiceUnavailable).userMessage).toMatch(/^GitHub is unavailable right now — I'll be able to try again in about \d+ seconds\.$/);
    expect(fake.calls.length).toBe(before);
  });

  it("after the half-open delay lets exactly one probe through; success closes it with counts reset", async () => {
    await openBreaker();
    await sleep(350);
    const before = fake.count("GET", REPOS);
    fake.delayNext(150); // hold the probe so we can look while it is in flight
    const calls = [integrations.github.listRepos(), integrations.github.listRepos(), integrations.github.listRepos()];
    await sleep(75);
    expect(integrations.policies.github.state).toBe("half-open");
    expect(fake.count("GET", REPOS) - before).toBe(1); // the others wait for the probe's verdict
    const results = await Promise.all(calls);
    expect(results.every((r) => r.stale === false && r.value.length === 3)).toBe(true);
    const snapshot = integrations.registry.list().find((b) => b.name === "github")!;
    expect(snapshot.state).toBe("closed");
    expect(snapshot.consecutiveFailures).toBe(0);
    expect(snapshot.totalFailures).toBe(3);
  });

  it("a failed probe re-opens it, and callers waiting on it are turned away without a request", async () => {
    await openBreaker();
    await sleep(350);
    const before = fake.calls.length;
    fake.delayNext(100);
    fake.failNext(2, 503);
    const results = await Promise.allSettled([integrations.github.listRepos(), integrations.github.listRepos()]);
    expect(results.every((r) => r.status === "rejected" && r.reason instanceof ServiceUnavailable)).toBe(true);
    expect(fake.calls.length - before).toBe(2); // the probe and Octokit's one retry of its 503
    expect(integrations.policies.github.state).toBe("open");
    await expect(integrations.github.listRepos()).rejects.toBeInstanceOf(ServiceUnavailable);
    expect(fake.calls.length - before).toBe(2);
  });

  it("logs one line per transition (opened, half-open, closed) with the last error — not one per failed call", async () => {
    await openBreaker();
    await integrations.github.listRepos().catch(() => undefined); // rejected while open: no line
    await sleep(350);
    await integrations.github.listRepos();
    const transitions = log.lines.filter((l) => l.breaker === "github").map((l) => l.msg);
    expect(transitions).toEqual(["github breaker opened", "github breaker half-open: probing", "github breaker closed"]);
    const opened = log.lines.find((l) => l.msg === "github breaker opened")!;
    expect(String(opened.lastError)).toContain("HTTP 502");
  });

  it("exposes its state as a Prometheus gauge", async () => {
    expect(await integrations.metrics.text()).toMatch(/piper_breaker_state\{breaker="github"\} 0/);
    await openBreaker();
    const text = await integrations.metrics.text();
    expect(text).toMatch(/piper_breaker_state\{breaker="github"\} 1/);
    expect(text).toMatch(/piper_integration_calls_total\{service="github",operation="listIssues",outcome="failure"\} 3/);
  });

  it("does not count the caller's mistakes (404, 422) as GitHub failing", async () => {
    // Six in a row, twice the threshold: had they counted, the breaker would be open.
    // (Only two writes: Octokit spaces writes seconds apart, as GitHub asks.)
    for (let i = 0; i < 4; i++) await expect(integrations.github.listIssues("acme/nope")).rejects.toMatchObject({ code: "NOT_FOUND" });
    for (let i = 0; i < 2; i++) await expect(integrations.github.createIssue("acme/web", { title: "" })).rejects.toMatchObject({ code: "INVALID_REQUEST" });
    expect(integrations.policies.github.state).toBe("closed");
  });
});
