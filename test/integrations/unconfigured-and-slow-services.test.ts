import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthenticationFailed, NotConfigured, TimedOut } from "../../src/integrations/errors.js";
import { startAnthropicFake, type AnthropicFake } from "../fakes/anthropic.js";
import { startGitHubFake, type GitHubFake } from "../fakes/github.js";
import { integrationsAgainst } from "../support/integrations.js";

describe("unconfigured, misconfigured and slow services", () => {
  let github: GitHubFake;
  let anthropic: AnthropicFake;
  beforeAll(async () => {
    [github, anthropic] = await Promise.all([startGitHubFake(), startAnthropicFake()]);
  });
  afterAll(async () => Promise.all([github.close(), anthropic.close()]));

  it("without a token, calls say the service isn't connected and make no HTTP request", async () => {
    const { integrations } = await integrationsAgainst({}, { GITHUB_API_URL: github.url, ANTHROPIC_BASE_URL: anthropic.url });
    const before = github.calls.length + anthropic.calls.length;
    const gh = await integrations.github.listRepos().catch((e: unknown) => e);
    expect(gh).toBeInstanceOf(NotConfigured);
    expect((gh as NotConfigured).userMessage).toBe("GitHub isn't connected — set GITHUB_TOKEN.");
    const llm = await integrations.llm.createMessage({ messages: [{ role: "user", content: "hi" }] }).catch((e: unknown) => e);
    expect(llm).toBeInstanceOf(NotConfigured);
    expect((llm as NotConfigured).userMessage).toContain("don't have a language model connected");
    expect(github.calls.length + anthropic.calls.length).toBe(before);
    expect(integrations.registry.list().filter((b) => !b.configured).map((b) => b.name).sort()).toEqual(["github", "llm", "notion"]);
  });

  it("a rejected token is an authentication problem with its own sentence, and does not open the breaker", async () => {
    const { integrations } = await integrationsAgainst({ github: { url: github.url, token: "ghp_wrong" }, anthropic: { url: anthropic.url, apiKey: "sk-ant-wrong" } });
    for (let i = 0; i < 4; i++) await expect(integrations.github.listRepos()).rejects.toBeInstanceOf(AuthenticationFailed);
    expect(integrations.policies.github.state).toBe("closed");
    const llm = (await integrations.llm.createMessage({ messages: [{ role: "user", content: "hi" }] }).catch((e: unknown) => e)) as AuthenticationFailed;
    expect(llm).toBeInstanceOf(AuthenticationFailed);
    expect(llm.userMessage).toContain("ANTHROPIC_API_KEY");
  });

  it("a service slower than its timeout gives TimedOut, counted toward the breaker", async () => {
    const { integrations } = await integrationsAgainst({ github }, { PIPER_GITHUB_TIMEOUT_MS: "100" });
    github.delayNext(400);
    const err = await integrations.github.listRepos().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimedOut);
    expect((err as TimedOut).userMessage).toBe("GitHub is taking too long to answer — please try again in a minute.");
    expect(integrations.registry.list().find((b) => b.name === "github")!.consecutiveFailures).toBe(1);
  });
});
