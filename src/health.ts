// One view of Piper's health, rendered for /healthz (JSON), /piper health (mrkdwn) and the Home tab.
import type { Config } from "./config.js";
import type { Database } from "./db/index.js";
import type { Integrations } from "./integrations/index.js";
import type { HealthReport } from "./http/server.js";
import { describeState, type IntegrationStatus } from "./slack/home-view.js";

const DISPLAY_NAMES: Record<string, string> = { slack: "Slack", github: "GitHub", notion: "Notion", llm: "Language model" };

export function integrationStatuses(integrations: Integrations): IntegrationStatus[] {
  return integrations.registry.list().map((b) => ({
    name: DISPLAY_NAMES[b.name] ?? b.name,
    configured: b.configured,
    state: b.state,
    detail: b.state !== "closed" && b.lastError ? `last error: ${b.lastError}` : undefined,
  }));
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

export async function renderHealthForSlack(integrations: Integrations, db: Database): Promise<string> {
  const dbOk = await db.ping();
  const lines = integrations.registry.list().map((b) => {
    const name = DISPLAY_NAMES[b.name] ?? b.name;
    if (!b.configured) return `:white_circle: *${name}* — not connected`;
    const icon = b.state === "closed" ? ":large_green_circle:" : b.state === "half-open" ? ":large_yellow_circle:" : ":red_circle:";
    const since = b.state === "closed" ? "" : ` since ${b.since.toISOString().slice(11, 19)} UTC`;
    const failures = b.consecutiveFailures > 0 ? `, ${b.consecutiveFailures} failure(s) in a row` : "";
    const last = b.lastError && b.state !== "closed" ? ` — last error: ${b.lastError}` : "";
    return `${icon} *${name}* — ${describeState(b.state)}${since}${failures}${last}`;
  });
  const dbLine = `${dbOk ? ":large_green_circle:" : ":red_circle:"} *Database* (${db.kind === "pglite" ? "embedded" : "PostgreSQL"}) — ${dbOk ? "working" : "unreachable"}`;
  return ["*Piper health*", dbLine, ...lines].join("\n");
}
