// One view of Piper's health, as data: /healthz serialises it, and the Slack layer renders it for /piper health and the Home tab.
import type { Config } from "./config.js";
import type { Database } from "./db/index.js";
import type { Integrations } from "./integrations/index.js";
import type { BreakerSnapshot, BreakerState } from "./integrations/policy.js";
import { SERVICE_DISPLAY_NAME } from "./integrations/service-names.js";
import type { HealthReport } from "./http/server.js";

/** How a person should read a connection; renderers choose an icon or colour per condition. */
export type Condition = "working" | "recovering" | "down" | "not-connected";

export interface ServiceHealth {
  /** Display name ("Language model"). */
  name: string;
  configured: boolean;
  state: BreakerState;
  condition: Condition;
  /** The condition in words: "working", "recovering, testing the connection", … */
  description: string;
  /** When the breaker entered its state. */
  since: Date;
  consecutiveFailures: number;
  /** The last error, only while it still matters (the connection isn't working). */
  problem?: string;
}

export interface DatabaseHealth {
  ok: boolean;
  condition: Condition;
  /** "embedded" or "PostgreSQL". */
  kind: string;
  description: string;
}

export interface HealthSummary {
  database: DatabaseHealth;
  services: ServiceHealth[];
}

const CONDITION: Record<BreakerState, Condition> = { closed: "working", "half-open": "recovering", open: "down", isolated: "down" };

const DESCRIPTION: Record<Condition, string> = {
  working: "working",
  recovering: "recovering, testing the connection",
  down: "unavailable, pausing calls",
  "not-connected": "not connected",
};

export function serviceHealth(snapshots: BreakerSnapshot[]): ServiceHealth[] {
  return snapshots.map((b) => {
    const condition: Condition = b.configured ? CONDITION[b.state] : "not-connected";
    return {
      name: SERVICE_DISPLAY_NAME[b.name] ?? b.name,
      configured: b.configured,
      state: b.state,
      condition,
      description: DESCRIPTION[condition],
      since: b.since,
      consecutiveFailures: b.consecutiveFailures,
      problem: b.state !== "closed" && b.lastError ? b.lastError : undefined,
    };
  });
}

export async function healthSummary(deps: { integrations: Integrations; db: Database }): Promise<HealthSummary> {
  const ok = await deps.db.ping();
  return {
    database: { ok, condition: ok ? "working" : "down", kind: deps.db.kind === "pglite" ? "embedded" : "PostgreSQL", description: ok ? "working" : "unreachable" },
    services: serviceHealth(deps.integrations.registry.list()),
  };
}

export async function healthReport(deps: { config: Config; db: Database; integrations: Integrations }): Promise<HealthReport> {
  const dbOk = await deps.db.ping();
  return {
    healthy: dbOk,
    body: {
      status: dbOk ? "ok" : "degraded",
      mode: deps.config.slack.mode,
      database: { kind: deps.db.kind, ok: dbOk },
      breakers: deps.integrations.registry.list().map((b) => ({
        name: b.name,
        configured: b.configured,
        state: b.state,
        consecutiveFailures: b.consecutiveFailures,
        totalFailures: b.totalFailures,
        lastError: b.lastError,
        since: b.since.toISOString(),
      })),
    },
  };
}
