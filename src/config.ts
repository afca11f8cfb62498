// Environment → validated, typed configuration. The only module that reads process.env.
import { isTimeZone } from "./time/zoned-dates.js";
import { z } from "zod";

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const port = (fallback: number) =>
  z.coerce
    .number({ error: "expected a port number (1-65535)" })
    .int("expected a whole port number (1-65535)")
    .min(0, "expected a port number (1-65535)")
    .max(65535, "expected a port number (1-65535)")
    .default(fallback);

const positiveInt = (fallback: number) =>
  z.coerce.number({ error: "expected a positive whole number" }).int("expected a whole number").positive("expected a positive number").default(fallback);

const httpUrl = (fallback: string) =>
  z
    .string()
    .trim()
    .default(fallback)
    .refine((v) => /^https?:\/\/[^\s]+$/.test(v), "expected an http(s) URL such as https://example.com/");

/** The model for conversation (the floor, workflows). */
export const DEFAULT_CONVERSATION_MODEL = "claude-sonnet-5-5";
/** A fast model for one-shot intent classification. */
export const DEFAULT_CLASSIFIER_MODEL = "claude-haiku-5-5";

/** The attention model's signal kinds (src/spatial/attention.ts), as PIPER_ATTENTION_WEIGHTS names them. */
const WEIGHT_KINDS = ["mention", "dm", "question", "urgent", "newcomer", "message"];

const envSchema = z.object({
  PIPER_PORT: port(3000),
  PIPER_HOST: z.string().trim().default("0.0.0.0"),
  PIPER_DATA_DIR: z.string().trim().min(1).default("./.piper/data"),
  PIPER_LOCAL_SLACK_PORT: port(3001),
  DATABASE_URL: optionalString.refine(
    (v) => v === undefined || /^postgres(ql)?:\/\/.+/.test(v),
    "expected a PostgreSQL URL such as postgres://user@host:5432/piper",
  ),
  SLACK_BOT_TOKEN: optionalString.refine((v) => v === undefined || v.startsWith("xoxb-"), "expected a bot token starting with xoxb-"),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString.refine((v) => v === undefined || v.startsWith("xapp-"), "expected an app-level token starting with xapp-"),
  SLACK_API_URL: httpUrl("https://slack.com/api/"),
  ANTHROPIC_API_KEY: optionalString,
  ANTHROPIC_BASE_URL: optionalString.refine((v) => v === undefined || /^https?:\/\//.test(v), "expected an http(s) URL"),
  // Defaults track the SDK's model list; claude-sonnet-4-5 reaches end of life on 2026-11-30.
  ANTHROPIC_MODEL: z.string().trim().min(1, "expected a model name such as claude-sonnet-5-5").default(DEFAULT_CONVERSATION_MODEL),
  ANTHROPIC_CLASSIFIER_MODEL: z.string().trim().min(1, "expected a model name such as claude-haiku-5-5").default(DEFAULT_CLASSIFIER_MODEL),
  GITHUB_TOKEN: optionalString,
  GITHUB_API_URL: httpUrl("https://api.github.com"),
  NOTION_TOKEN: optionalString,
  NOTION_API_URL: httpUrl("https://api.notion.com"),
  PIPER_NOTION_PARENT: z.string().trim().regex(/^(?:(?:page|database):)?[\w-]+$/, "expected page:<id>, database:<id> or a page id").optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
    error: "expected one of fatal, error, warn, info, debug, trace, silent",
  }).default("info"),
  LOG_FORMAT: z.enum(["json", "pretty"], { error: "expected json or pretty" }).optional(),
  PIPER_QUEUE_CONCURRENCY: positiveInt(8),
  PIPER_QUEUE_MAX_PENDING: positiveInt(500),
  PIPER_BREAKER_FAILURES: positiveInt(5),
  PIPER_BREAKER_HALF_OPEN_MS: positiveInt(30_000),
  PIPER_SLACK_TIMEOUT_MS: positiveInt(10_000),
  PIPER_GITHUB_TIMEOUT_MS: positiveInt(10_000),
  PIPER_NOTION_TIMEOUT_MS: positiveInt(10_000),
  PIPER_LLM_TIMEOUT_MS: positiveInt(60_000),
  PIPER_REQUEST_DEADLINE_MS: positiveInt(120_000),
  PIPER_LEASE_MS: positiveInt(30_000),
  PIPER_SHUTDOWN_DRAIN_MS: positiveInt(5_000),
  PIPER_RECOVERY_STALE_MS: positiveInt(900_000),
  PIPER_JOB_MAINTENANCE_SECONDS: positiveInt(15),
  PIPER_OFFER_INTERVAL_MS: positiveInt(7_200_000),
  PIPER_DRAFT_TTL_MINUTES: positiveInt(60),
  PIPER_STALE_DAYS: positiveInt(7),
  PIPER_SPRINT_DAYS: positiveInt(14),
  PIPER_OFFER_MIN_RISK: z.enum(["high", "medium"], { error: "expected high or medium" }).default("high"),
  PIPER_ATTENTION_HALF_LIFE_MINUTES: positiveInt(240),
  PIPER_QUESTION_AGE_MINUTES: positiveInt(30),
  PIPER_ATTENTION_WEIGHTS: z
    .string()
    .trim()
    .default("")
    .transform((v, ctx) => {
      const weights: Record<string, number> = {};
      for (const pair of v.split(",").map((p) => p.trim()).filter(Boolean)) {
        const [kind, value] = pair.split("=").map((s) => s.trim());
        const n = Number(value);
        if (!kind || !WEIGHT_KINDS.includes(kind) || !Number.isFinite(n) || n < 0) {
          ctx.addIssue({ code: "custom", message: `expected kind=weight pairs such as mention=5,question=2 (kinds: ${WEIGHT_KINDS.join(", ")})` });
          return z.NEVER;
        }
        weights[kind] = n;
      }
      return weights;
    }),
  PIPER_TIME_ZONE: z
    .string()
    .trim()
    .default("UTC")
    .refine((v) => isTimeZone(v), "expected an IANA time zone such as Europe/Berlin or America/New_York"),
});

export type SlackMode = "socket" | "http" | "local";

export interface BreakerSettings {
  failureThreshold: number;
  halfOpenAfterMs: number;
  timeoutMs: number;
}

export interface Config {
  port: number;
  host: string;
  logLevel: z.infer<typeof envSchema>["LOG_LEVEL"];
  /** Unset: pretty at a terminal, JSON otherwise. */
  logFormat?: "json" | "pretty";
  /** How "yesterday" and "by Friday" are read until Piper knows the asker's own time zone. */
  timeZone: string;
  database: { kind: "pglite"; dataDir: string } | { kind: "postgres"; url: string };
  slack: {
    mode: SlackMode;
    botToken?: string;
    signingSecret?: string;
    appToken?: string;
    apiUrl: string;
    localPort: number;
  };
  /** `model` converses; `classifierModel` classifies intents (fast, cheap). */
  anthropic: { apiKey?: string; baseUrl?: string; model: string; classifierModel: string };
  github: { token?: string; apiUrl: string };
  /** `parent`: where "save to Notion" pages go (page:<id> or database:<id>). */
  notion: { token?: string; apiUrl: string; parent?: string };
  queue: { concurrency: number; maxPending: number };
  work: {
    /** A request still working after this is cancelled and the user told so. */
    deadlineMs: number;
    /** While a process answers a request, no worker takes it; renewed every third of this. */
    leaseMs: number;
    /** Graceful shutdown waits this long for work in progress, then hands the rest to recovery. */
    shutdownDrainMs: number;
    /** A request recovered after a crash older than this gets an apology instead of a late answer. */
    recoveryStaleMs: number;
    /** pg-boss maintenance: how soon a job whose worker died is retried (plus its expiry). */
    maintenanceIntervalSeconds: number;
  };
  breakers: Record<"slack" | "github" | "notion" | "llm", BreakerSettings>;
  /** Offers of help in rooms people asked Piper to watch (`/piper watch`). */
  /** How long a drafted issue's Create / Edit / Cancel buttons stay good. */
  drafts: { ttlMs: number };
  /** Reviews and plans: after how many quiet days an open item is stale; how long a sprint is when no milestone says. */
  planning: { staleDays: number; sprintDays: number };
  /** Overrides of the attention model's defaults (src/spatial/attention.ts). */
  attention: { halfLifeMs: number; questionAgeMs: number; weights: Partial<Record<string, number>> };
  offers: {
    /** At most one offer per room per this long, across every instance. */
    intervalMs: number;
    /** The attention risk at which a watched room gets an offer. */
    minRisk: "high" | "medium";
  };
}

/** A configuration problem, phrased for the person starting Piper. */
export class ConfigError extends Error {
  readonly code = "CONFIG_INVALID";
  constructor(
    readonly variable: string,
    readonly expected: string,
  ) {
    super(`${variable}: ${expected}`);
    this.name = "ConfigError";
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    // Never echo the received value: it may be a secret.
    throw new ConfigError(String(issue.path[0] ?? "environment"), issue.message);
  }
  const e = parsed.data;
  const mode = slackMode(e);
  const breaker = (timeoutMs: number): BreakerSettings => ({
    failureThreshold: e.PIPER_BREAKER_FAILURES,
    halfOpenAfterMs: e.PIPER_BREAKER_HALF_OPEN_MS,
    timeoutMs,
  });
  return {
    port: e.PIPER_PORT,
    host: e.PIPER_HOST,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    timeZone: e.PIPER_TIME_ZONE,
    database: e.DATABASE_URL ? { kind: "postgres", url: e.DATABASE_URL } : { kind: "pglite", dataDir: e.PIPER_DATA_DIR },
    slack: {
      mode,
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL.endsWith("/") ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`,
      localPort: e.PIPER_LOCAL_SLACK_PORT,
    },
    anthropic: { apiKey: e.ANTHROPIC_API_KEY, baseUrl: e.ANTHROPIC_BASE_URL, model: e.ANTHROPIC_MODEL, classifierModel: e.ANTHROPIC_CLASSIFIER_MODEL },
    github: { token: e.GITHUB_TOKEN, apiUrl: e.GITHUB_API_URL.replace(/\/+$/, "") },
    notion: { token: e.NOTION_TOKEN, apiUrl: e.NOTION_API_URL.replace(/\/+$/, ""), parent: e.PIPER_NOTION_PARENT },
    queue: { concurrency: e.PIPER_QUEUE_CONCURRENCY, maxPending: e.PIPER_QUEUE_MAX_PENDING },
    work: {
      deadlineMs: e.PIPER_REQUEST_DEADLINE_MS,
      leaseMs: Math.max(1_000, e.PIPER_LEASE_MS),
      shutdownDrainMs: e.PIPER_SHUTDOWN_DRAIN_MS,
      recoveryStaleMs: e.PIPER_RECOVERY_STALE_MS,
      maintenanceIntervalSeconds: e.PIPER_JOB_MAINTENANCE_SECONDS,
    },
    breakers: {
      slack: breaker(e.PIPER_SLACK_TIMEOUT_MS),
      github: breaker(e.PIPER_GITHUB_TIMEOUT_MS),
      notion: breaker(e.PIPER_NOTION_TIMEOUT_MS),
      llm: breaker(e.PIPER_LLM_TIMEOUT_MS),
    },
    offers: { intervalMs: e.PIPER_OFFER_INTERVAL_MS, minRisk: e.PIPER_OFFER_MIN_RISK },
    drafts: { ttlMs: e.PIPER_DRAFT_TTL_MINUTES * 60_000 },
    planning: { staleDays: e.PIPER_STALE_DAYS, sprintDays: e.PIPER_SPRINT_DAYS },
    attention: { halfLifeMs: e.PIPER_ATTENTION_HALF_LIFE_MINUTES * 60_000, questionAgeMs: e.PIPER_QUESTION_AGE_MINUTES * 60_000, weights: e.PIPER_ATTENTION_WEIGHTS },
  };
}

function slackMode(e: z.infer<typeof envSchema>): SlackMode {
  const { SLACK_BOT_TOKEN: bot, SLACK_SIGNING_SECRET: secret, SLACK_APP_TOKEN: app } = e;
  if (!bot && !secret && !app) return "local";
  if (!bot) throw new ConfigError("SLACK_BOT_TOKEN", "required when SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is set (a bot token starting with xoxb-)");
  if (app) return "socket";
  if (!secret) throw new ConfigError("SLACK_SIGNING_SECRET", "required for the HTTP receiver when SLACK_BOT_TOKEN is set without SLACK_APP_TOKEN");
  return "http";
}
