// Renders what health.ts reports for Slack — /piper health and the Home tab's connections — with the one set of state icons.
import type { Condition, HealthSummary, ServiceHealth } from "../health.js";

const ICON: Record<Condition, string> = {
  working: ":large_green_circle:",
  recovering: ":large_yellow_circle:",
  down: ":red_circle:",
  "not-connected": ":white_circle:",
};

/** The full report for `/piper health`: when each breaker changed state and how many calls failed in a row. */
export function renderHealth(summary: HealthSummary): string {
  const { database: db } = summary;
  const dbLine = `${ICON[db.condition]} *Database* (${db.kind}) — ${db.description}`;
  const lines = summary.services.map((s) => {
    if (!s.configured) return `${ICON[s.condition]} *${s.name}* — ${s.description}`;
    const since = s.condition === "working" ? "" : ` since ${s.since.toISOString().slice(11, 19)} UTC`;
    const failures = s.consecutiveFailures > 0 ? `, ${s.consecutiveFailures} failure(s) in a row` : "";
    const last = s.problem ? ` — last error: ${s.problem}` : "";
    return `${ICON[s.condition]} *${s.name}* — ${s.description}${since}${failures}${last}`;
  });
  return ["*Piper health*", dbLine, ...lines].join("\n");
}

/** The Home tab's shorter lines: state and, while it matters, the last error. */
export function connectionLines(services: ServiceHealth[]): string[] {
  return services.map((s) => `${ICON[s.condition]} *${s.name}* — ${s.description}${s.configured && s.problem ? ` (last error: ${s.problem})` : ""}`);
}
