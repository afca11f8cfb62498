import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubFake, type GitHubFake } from "../fakes/github.js";
import { botReplies, startTestPiper, type TestPiper } from "../support/piper.js";

function text(body: unknown): string {
  return JSON.stringify(body);
}

describe("a request that needs GitHub while GitHub is failing", () => {
  let github: GitHubFake;
  let piper: TestPiper;
  beforeAll(async () => {
    github = await startGitHubFake();
    piper = await startTestPiper({}, { GITHUB_TOKEN: github.token, GITHUB_API_URL: github.url, PIPER_BREAKER_FAILURES: "2", PIPER_BREAKER_HALF_OPEN_MS: "60000" });
  });
  afterAll(async () => {
    await piper?.close();
    await github?.close();
  });

  it("answers /piper projects from GitHub while it works", async () => {
    const slack = piper.slackLocal;
    const res = await slack.slashCommand({ channel: slack.channels.general, text: "projects" });
    const [answer] = await res.responses;
    expect(text(answer)).toContain("acme/mobile");
    expect(text(answer)).toContain("Customer web app");
  });

  it("serves the last good list, marked stale, once GitHub starts failing", async () => {
    github.failNext(1000, 502);
    const slack = piper.slackLocal;
    const [answer] = await (await slack.slashCommand({ channel: slack.channels.general, text: "projects" })).responses;
    expect(text(answer)).toContain("acme/mobile");
    expect(text(answer)).toContain("GitHub isn't answering right now; this is what I saw at");
  });

  it("once the breaker is open, a mention gets the last good list, marked stale, without calling GitHub", async () => {
    const slack = piper.slackLocal;
    await (await slack.slashCommand({ channel: slack.channels.general, text: "projects" })).responses;
    expect(piper.integrations.policies.github.state).toBe("open");
    const before = github.calls.length;
    const { ts } = await slack.postUserMessage({ channel: slack.channels.mobile, text: `<@${piper.botUserId}> projects` });
    const reply = await slack.waitFor(() => botReplies(slack, slack.channels.mobile, ts)[0]);
    // The stale list is still the best answer a person can get, and it says where it came from.
    expect(reply.text).toContain("acme/mobile");
    expect(reply.text).toContain("GitHub isn't answering right now");
    expect(github.calls.length).toBe(before);
  });

  it("/piper health shows GitHub as unavailable with its last error", async () => {
    const slack = piper.slackLocal;
    const [answer] = await (await slack.slashCommand({ channel: slack.channels.general, text: "health" })).responses;
    expect(text(answer)).toMatch(/GitHub\*? — unavailable, pausing calls since \d\d:\d\d:\d\d UTC/);
    expect(text(answer)).toContain("HTTP 502");
  });
});

describe("GitHub failing with nothing cached", () => {
  let github: GitHubFake;
  let piper: TestPiper;
  beforeAll(async () => {
    github = await startGitHubFake();
    github.failNext(1000, 503);
    piper = await startTestPiper({}, { GITHUB_TOKEN: github.token, GITHUB_API_URL: github.url, PIPER_BREAKER_FAILURES: "1", PIPER_BREAKER_HALF_OPEN_MS: "60000" });
  });
  afterAll(async () => {
    await piper?.close();
    await github?.close();
  });

  it("says GitHub is unavailable and when it will try again — no stack, no raw HTTP", async () => {
    const slack = piper.slackLocal;
    const [first] = await (await slack.slashCommand({ channel: slack.channels.general, text: "projects" })).responses;
    expect(text(first)).toContain("GitHub is unavailable right now — please try again in a few minutes.");
    const [second] = await (await slack.slashCommand({ channel: slack.channels.general, text: "projects" })).responses;
    expect(text(second)).toMatch(/GitHub is unavailable right now — I'll be able to try again in about \d+ seconds\./);
  });
});
