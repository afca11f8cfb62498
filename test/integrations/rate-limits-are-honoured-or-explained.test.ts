import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RateLimited } from "../../src/integrations/errors.js";
import type { Integrations } from "../../src/integrations/index.js";
import { startAnthropicFake, type AnthropicFake } from "../fakes/anthropic.js";
import { startGitHubFake, type GitHubFake } from "../fakes/github.js";
import { startNotionFake, type NotionFake } from "../fakes/notion.js";
import { integrationsAgainst } from "../support/integrations.js";

describe("rate limits", () => {
  let github: GitHubFake;
  let notion: NotionFake;
  let anthropic: AnthropicFake;
  let integrations: Integrations;
  beforeAll(async () => {
    [github, notion, anthropic] = await Promise.all([startGitHubFake(), startNotionFake(), startAnthropicFake()]);
    anthropic.respondWith(() => [{ type: "text", text: "ok" }]);
    ({ integrations } = await integrationsAgainst({ github, notion, anthropic }));
  });
  afterAll(async () => Promise.all([github.close(), notion.close(), anthropic.close()]));

  it("GitHub 403 with x-ratelimit-remaining: 0 tells the user how long to wait", async () => {
    github.exhaustRateLimitNext(120);
    const before = github.calls.length;
    const err = (await integrations.github.listRepos().catch((e: unknown) => e)) as RateLimited;
    expect(err).toBeInstanceOf(RateLimited);
    expect(err.retryAfterSeconds).toBeGreaterThanOrEqual(118);
    expect(err.retryAfterSeconds).toBeLessThanOrEqual(121);
    expect(err.userMessage).toBe("GitHub is rate-limiting me — please try again in 2 minutes.");
    expect(github.calls.length - before).toBe(1); // not retried: the wait is too long to hold a Slack user
    expect(integrations.policies.github.state).toBe("closed");
  });

  it("GitHub's secondary limit with a short Retry-After is waited out once by Octokit", async () => {
    github.secondaryRateLimitNext(1);
    const before = github.calls.length;
    const repos = await integrations.github.listRepos();
    expect(repos.value.map((r) => r.fullName)).toContain("acme/web");
    expect(github.calls.length - before).toBe(2);
  });

  it("Notion 429 with a short Retry-After is retried by the SDK; a long one is surfaced with its seconds", async () => {
    notion.rateLimitNext(1);
    const before = notion.calls.length;
    const page = await integrations.notion.createPage({ parent: { kind: "page", id: notion.ids.notes }, title: "Sprint notes" });
    expect(page.title).toBe("Sprint notes");
    expect(notion.calls.length - before).toBe(2);

    notion.rateLimitNext(90);
    const mid = notion.calls.length;
    const err = (await integrations.notion.queryDatabase(notion.ids.roadmap).catch((e: unknown) => e)) as RateLimited;
    expect(err).toBeInstanceOf(RateLimited);
    expect(err.retryAfterSeconds).toBe(90);
    expect(err.userMessage).toBe("Notion is rate-limiting me — please try again in 2 minutes.");
    expect(notion.calls.length - mid).toBe(1);
  });

  it("Anthropic 429 with a short retry-after is retried by the SDK; a long one becomes RateLimited", async () => {
    anthropic.rateLimitNext(1);
    const before = anthropic.calls.length;
    const message = await integrations.llm.createMessage({ messages: [{ role: "user", content: "hi" }] });
    expect(message.content[0]).toMatchObject({ type: "text", text: "ok" });
    expect(anthropic.calls.length - before).toBe(2);

    anthropic.rateLimitNext(45);
    const mid = anthropic.calls.length;
    const err = (await integrations.llm.createMessage({ messages: [{ role: "user", content: "hi" }] }).catch((e: unknown) => e)) as RateLimited;
    expect(err).toBeInstanceOf(RateLimited);
    expect(err.retryAfterSeconds).toBe(45);
    expect(anthropic.calls.length - mid).toBe(1);
  });

  it("Anthropic 529 overloaded is retried once by the SDK, then reported as unavailable", async () => {
    anthropic.overloadedNext(2, 1);
    const before = anthropic.calls.length;
    const err = await integrations.llm.createMessage({ messages: [{ role: "user", content: "hi" }] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    expect((err as { userMessage: string }).userMessage).toMatch(/^The language model is unavailable right now/);
    expect(anthropic.calls.length - before).toBe(2);
  });
});
