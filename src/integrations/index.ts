// Builds every integration with its named policy, plus the registry and metrics that make them observable.
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import type { ServiceName } from "./errors.js";
import { GitHubClient } from "./github.js";
import { isGitHubServiceFailure, toGitHubError } from "./github-errors.js";
import { LlmClient } from "./llm.js";
import { IntegrationMetrics } from "./metrics.js";
import { NotionClient } from "./notion.js";
import { ServicePolicy, type BreakerSnapshot, type ServicePolicyOptions } from "./policy.js";
import { isSlackServiceFailure } from "./slack-errors.js";

export interface BreakerRegistry {
  list(): BreakerSnapshot[];
}

export interface Integrations {
  github: GitHubClient;
  notion: NotionClient;
  llm: LlmClient;
  policies: Record<ServiceName, ServicePolicy>;
  registry: BreakerRegistry;
  metrics: IntegrationMetrics;
  close(): Promise<void>;
}

export interface IntegrationOverrides {
  /** Base URLs that replace config (local mode points GitHub at the demo fake). */
  githubApiUrl?: string;
  githubToken?: string;
  notionApiUrl?: string;
  notionToken?: string;
}

/**
 * How the Slack policy differs from the default: only Slack being unwell counts (its calls reach the policy as
 * raw WebClient errors), and calls never take its signal (the Web API client's fetch keeps its own timer), so
 * nothing is aborted on return.
 */
export const SLACK_POLICY: Pick<ServicePolicyOptions, "isServiceFailure" | "abortOnReturn"> = { isServiceFailure: isSlackServiceFailure, abortOnReturn: false };

export async function createIntegrations({ config, logger, overrides = {} }: { config: Config; logger: Logger; overrides?: IntegrationOverrides }): Promise<Integrations> {
  const metrics = new IntegrationMetrics();
  const githubToken = overrides.githubToken ?? config.github.token;
  const notionToken = overrides.notionToken ?? config.notion.token;
  const policy = (name: ServiceName, configured: boolean, errors: Pick<ServicePolicyOptions, "isServiceFailure" | "explainError" | "abortOnReturn"> = {}) =>
    new ServicePolicy({ name, settings: config.breakers[name], configured, logger, metrics, ...errors });
  const policies: Record<ServiceName, ServicePolicy> = {
    // Slack is always configured: local mode talks to the emulator.
    slack: policy("slack", true, SLACK_POLICY),
    // The github policy runs inside Octokit's request hook, so it sees Octokit's raw errors.
    github: policy("github", Boolean(githubToken), { isServiceFailure: isGitHubServiceFailure, explainError: (err) => toGitHubError(err, "GitHub") }),
    notion: policy("notion", Boolean(notionToken)),
    llm: policy("llm", Boolean(config.anthropic.apiKey)),
  };
  return {
    github: new GitHubClient({ token: githubToken, baseUrl: overrides.githubApiUrl ?? config.github.apiUrl, policy: policies.github, logger }),
    notion: new NotionClient({ token: notionToken, baseUrl: overrides.notionApiUrl ?? config.notion.apiUrl, timeoutMs: config.breakers.notion.timeoutMs, policy: policies.notion, logger }),
    llm: new LlmClient({ apiKey: config.anthropic.apiKey, baseUrl: config.anthropic.baseUrl, model: config.anthropic.model, classifierModel: config.anthropic.classifierModel, timeoutMs: config.breakers.llm.timeoutMs, policy: policies.llm }),
    policies,
    registry: { list: () => Object.values(policies).map((p) => p.snapshot()) },
    metrics,
    close: async () => undefined,
  };
}
