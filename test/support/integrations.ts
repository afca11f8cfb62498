// Builds real integration clients against the HTTP fakes, with small breaker settings and a capturable log.
import { Writable } from "node:stream";
import { afterEach, beforeEach } from "vitest";
import { startGitHubFake, type GitHubFake } from "../fakes/github.js";
import { loadConfig } from "../../src/config.js";
import { createIntegrations, type Integrations } from "../../src/integrations/index.js";
import { createLogger } from "../../src/logger.js";

export interface CapturedLog {
  lines: Array<Record<string, unknown>>;
  stream: Writable;
}

export function captureLog(): CapturedLog {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, stream };
}

export async function integrationsAgainst(
  fakes: { github?: { url: string; token: string }; notion?: { url: string; token: string }; anthropic?: { url: string; apiKey: string } },
  env: Record<string, string> = {},
): Promise<{ integrations: Integrations; log: CapturedLog }> {
  const config = loadConfig({
    LOG_LEVEL: "info",
    PIPER_BREAKER_FAILURES: "3",
    PIPER_BREAKER_HALF_OPEN_MS: "300",
    ...(fakes.github ? { GITHUB_API_URL: fakes.github.url, GITHUB_TOKEN: fakes.github.token } : {}),
    ...(fakes.notion ? { NOTION_API_URL: fakes.notion.url, NOTION_TOKEN: fakes.notion.token } : {}),
    ...(fakes.anthropic ? { ANTHROPIC_BASE_URL: fakes.anthropic.url, ANTHROPIC_API_KEY: fakes.anthropic.apiKey } : {}),
    ...env,
  });
  const log = captureLog();
  const logger = createLogger({ level: "info", destination: log.stream });
  return { integrations: await createIntegrations({ config, logger }), log };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface GitHubFakePerTest {
  readonly fake: GitHubFake;
  integrations: Integrations;
}

/** Registers beforeEach/afterEach: every test gets a fresh GitHub fake and integrations built against it. */
export function withGitHubFake(env: Record<string, string> = {}): GitHubFakePerTest {
  const current = {} as { fake: GitHubFake; integrations: Integrations };
  beforeEach(async () => {
    current.fake = await startGitHubFake();
    ({ integrations: current.integrations } = await integrationsAgainst({ github: current.fake }, env));
  });
  afterEach(async () => current.fake.close());
  return current;
}
