// A SlackPoster as app.ts builds it — real WebClient (createPostingClient), real ServicePolicy — against the emulator.
import { SLACK_POLICY } from "../../../src/integrations/index.js";
import { IntegrationMetrics } from "../../../src/integrations/metrics.js";
import { ServicePolicy } from "../../../src/integrations/policy.js";
import { startLocalSlack, type LocalSlack } from "../../../src/local/index.js";
import { createLogger } from "../../../src/logger.js";
import { boltLogger } from "../../../src/slack/bolt-logger.js";
import { ChannelPacer } from "../../../src/slack/pacer.js";
import { createPostingClient, SlackPoster } from "../../../src/slack/poster.js";
import { captureLog, type CapturedLog } from "../../support/integrations.js";

const TOKEN = "xoxb-poster-harness";

export interface PosterHarness {
  slack: LocalSlack;
  poster: SlackPoster;
  policy: ServicePolicy;
  log: CapturedLog;
  /** Messages of the log at warn level or above whose msg contains `text`. */
  warnings(text: string): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export interface PosterHarnessOptions {
  /** The breaker's per-call timeout (and the WebClient's). */
  timeoutMs?: number;
  failureThreshold?: number;
  /** How long the poster waits before each look for a write whose outcome it does not know. */
  lookBackDelaysMs?: number[];
}

export async function posterAgainstEmulator(options: PosterHarnessOptions = {}): Promise<PosterHarness> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const slack = await startLocalSlack({ port: 0, signingSecret: "s", botToken: TOKEN });
  const log = captureLog();
  const logger = createLogger({ level: "info", destination: log.stream });
  const policy = new ServicePolicy({
    name: "slack",
    settings: { failureThreshold: options.failureThreshold ?? 5, halfOpenAfterMs: 60_000, timeoutMs },
    configured: true,
    logger,
    metrics: new IntegrationMetrics(),
    ...SLACK_POLICY,
  });
  const { client, close: closeClient } = createPostingClient(TOKEN, { apiUrl: slack.apiUrl, timeoutMs, logger: boltLogger(logger) });
  const poster = new SlackPoster({
    client,
    policy,
    pacer: new ChannelPacer({ intervalMs: 0, burst: 1 }),
    logger,
    lookBackDelaysMs: options.lookBackDelaysMs ?? [50, 200],
    readRetryDelaysMs: [20, 50],
  });
  return {
    slack,
    poster,
    policy,
    log,
    warnings: (text) => log.lines.filter((l) => Number(l.level) >= 40 && String(l.msg).includes(text)),
    close: async () => {
      closeClient();
      await slack.close();
    },
  };
}
