// Secrets never reach the log — not in config objects, and not inside the errors the real SDKs throw — because the logger's configuration redacts them.
import Anthropic from "@anthropic-ai/sdk";
import { Client as NotionSdk } from "@notionhq/client";
import { Octokit } from "@octokit/rest";
import { LogLevel, WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger, type Logger } from "../../src/logger.js";
import { boltLogger } from "../../src/slack/bolt-logger.js";
import { startAnthropicFake, type AnthropicFake } from "../fakes/anthropic.js";
import { startFakeServer, type FakeServer } from "../fakes/fake-server.js";
import { startGitHubFake, type GitHubFake } from "../fakes/github.js";
import { startNotionFake, type NotionFake } from "../fakes/notion.js";
import { captureLog, integrationsAgainst, type CapturedLog } from "../support/integrations.js";

describe("logs never carry secrets", () => {
  it("redacts tokens, secrets, API keys, authorization headers and response_urls wherever they sit", () => {
    const log = captureLog();
    const logger = createLogger({ level: "info", destination: log.stream });
    logger.info(
      {
        token: "xoxb-1-secret",
        slack: { botToken: "xoxb-2-secret", signingSecret: "shh", appToken: "xapp-3-secret" },
        anthropic: { apiKey: "sk-ant-secret" },
        request: { headers: { authorization: "Bearer ghp_secret" } },
        command: { response_url: "https://hooks.slack.com/commands/T1/2/secret" },
        harmless: "kept",
      },
      "configured",
    );
    const line = JSON.stringify(log.lines[0]);
    for (const secret of ["xoxb-1-secret", "xoxb-2-secret", "shh", "xapp-3-secret", "sk-ant-secret", "ghp_secret", "hooks.slack.com"]) expect(line).not.toContain(secret);
    expect(line).toContain("kept");
    expect(line).toContain("[redacted]");
  });
});

/** Routes an SDK's own log lines into Piper's logger, so they are checked too. */
const sdkLog = (logger: Logger) => ({ debug: (m: string) => logger.debug(m), info: (m: string) => logger.info(m), warn: (m: string) => logger.warn(m), error: (m: string) => logger.error(m) });

interface Tokens { github: string; notion: string; anthropic: string; slack: string }

/** Every piece of every token that must not be logged (a token with a line break in it has two). */
const pieces = (tokens: Tokens) => Object.values(tokens).flatMap((t) => t.split(/\s+/)).map((p) => p.replace(/^(ghp_|ntn_|sk-ant-|xoxb-)/, ""));

describe("errors thrown by the real SDKs, logged through Piper's logger", () => {
  let github: GitHubFake;
  let notion: NotionFake;
  let anthropic: AnthropicFake;
  let slack: FakeServer;
  beforeAll(async () => {
    [github, notion, anthropic, slack] = await Promise.all([
      startGitHubFake(),
      startNotionFake(),
      startAnthropicFake(),
      // Slack refuses the token the way it does: HTTP 200, ok:false.
      startFakeServer([["POST", /^\/api\/[\w.]+$/, () => ({ status: 200, body: { ok: false, error: "invalid_auth" } })]]),
    ]);
  });
  afterAll(async () => Promise.all([github.close(), notion.close(), anthropic.close(), slack.close()]));

  /** Calls each service with `tokens` through the bare SDK and through Piper's client, and logs every error at error level. */
  async function logRealErrors(tokens: Tokens): Promise<CapturedLog> {
    const log = captureLog();
    const logger: Logger = createLogger({ level: "debug", destination: log.stream });
    const failure = (p: Promise<unknown>) => p.then(() => new Error("expected the call to fail"), (err: unknown) => err);
    const { integrations } = await integrationsAgainst({
      github: { url: github.url, token: tokens.github },
      notion: { url: notion.url, token: tokens.notion },
      anthropic: { url: anthropic.url, apiKey: tokens.anthropic },
    });
    const slackClient = new WebClient(tokens.slack, { slackApiUrl: `${slack.url}/api/`, retryConfig: { retries: 0 }, logger: boltLogger(logger), logLevel: LogLevel.DEBUG });
    const errors: Record<string, unknown> = {
      octokit: await failure(new Octokit({ auth: tokens.github, baseUrl: github.url, log: sdkLog(logger) }).repos.listForAuthenticatedUser()),
      github: await failure(integrations.github.listRepos()),
      notionSdk: await failure(new NotionSdk({ auth: tokens.notion, baseUrl: notion.url, logLevel: "error" as never }).dataSources.query({ data_source_id: notion.ids.roadmap })),
      notion: await failure(integrations.notion.queryDatabase(notion.ids.roadmap)),
      anthropicSdk: await failure(new Anthropic({ apiKey: tokens.anthropic, baseURL: anthropic.url, maxRetries: 0 }).messages.create({ model: "claude-test", max_tokens: 10, messages: [{ role: "user", content: "hi" }] })),
      llm: await failure(integrations.llm.createMessage({ messages: [{ role: "user", content: "hi" }] })),
      slack: await failure(slackClient.chat.postMessage({ channel: "C1", text: "hello" })),
    };
    for (const [source, err] of Object.entries(errors)) logger.error({ err, source }, `${source} call failed`);
    return log;
  }

  it("a rejected token appears nowhere in the log, though the errors are logged whole", async () => {
    const tokens: Tokens = { github: "ghp_R3dactGitHub9f8e7d6c5b4a", notion: "ntn_R3dactNotion1a2b3c4d5e6f", anthropic: "sk-ant-R3dactAnthropic7g8h9i", slack: "xoxb-1111-2222-R3dactSlackAbCdEf" };
    const log = await logRealErrors(tokens);
    const text = JSON.stringify(log.lines);
    expect(log.lines.filter((l) => l.level === 50 && l.err).map((l) => (l.err as { type: string }).type)).toEqual([
      "RequestError", "AuthenticationFailed", "APIResponseError", "AuthenticationFailed", "AuthenticationError", "AuthenticationFailed", "WebAPIPlatformError",
    ]);
    for (const piece of pieces(tokens)) expect(text).not.toContain(piece);
  });

  it("a token that can't be sent as a header (a pasted line break) is not quoted into the log by fetch's error", async () => {
    const tokens: Tokens = { github: "ghp_Br0kenGitHub9f8e\n7d6c5b4a", notion: "ntn_Br0kenNotion1a2b\n3c4d5e6f", anthropic: "sk-ant-Br0kenAnthropic7g\n8h9i", slack: "xoxb-1111-2222-Br0kenSlack\nAbCdEf" };
    const log = await logRealErrors(tokens);
    const text = JSON.stringify(log.lines);
    expect(text).toContain("is an invalid header value"); // the errors are there, minus the secret they quoted
    for (const piece of pieces(tokens)) expect(text).not.toContain(piece);
  });
});
