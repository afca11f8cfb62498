// Pins the health layering: health.ts reports data, the Slack layer renders it, and names and icons are each defined once.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { serviceHealth } from "../../src/health.js";
import type { BreakerSnapshot } from "../../src/integrations/policy.js";
import { connectionLines, renderHealth } from "../../src/slack/health-view.js";

const SRC = fileURLToPath(new URL("../../src/", import.meta.url));

function sources(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isSymbolicLink() || e.name === "generated") return [];
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith(".ts") ? [relative(SRC, path)] : [];
  });
}

const read = (file: string) => readFileSync(join(SRC, file), "utf8");

describe("health layering", () => {
  it("health, integrations and the database layer never import the Slack layer", () => {
    const lower = sources().filter((f) => f === "health.ts" || f.startsWith("integrations/") || f.startsWith("db/"));
    expect(lower).toContain("health.ts");
    const offenders = lower.filter((f) => /from "(\.\.?\/)+slack\//.test(read(f)));
    expect(offenders).toEqual([]);
  });

  it("service display names and state icons are each defined in one file", () => {
    const defining = (pattern: RegExp) => sources().filter((f) => pattern.test(read(f)));
    expect(defining(/github:\s*"GitHub"/)).toEqual(["integrations/service-names.ts"]);
    expect(defining(/:large_green_circle:/)).toEqual(["slack/health-view.ts"]);
    expect(defining(/:white_circle:/)).toEqual(["slack/health-view.ts"]);
  });
});

describe("Slack renders what health reports", () => {
  const since = new Date("2025-03-04T05:06:07Z");
  const snapshots: BreakerSnapshot[] = [
    { name: "slack", configured: true, state: "closed", consecutiveFailures: 0, totalFailures: 0, since },
    { name: "github", configured: true, state: "open", consecutiveFailures: 3, totalFailures: 5, lastError: "ServiceUnavailable: HTTP 502", since },
    { name: "notion", configured: false, state: "closed", consecutiveFailures: 0, totalFailures: 0, since },
    { name: "llm", configured: true, state: "half-open", consecutiveFailures: 0, totalFailures: 1, lastError: "TimedOut: 30000 ms", since },
  ];

  it("/piper health lists the database and each connection with its icon, state, since and last error", () => {
    const text = renderHealth({ database: { ok: false, condition: "down", kind: "PostgreSQL", description: "unreachable" }, services: serviceHealth(snapshots) });
    expect(text.split("\n")).toEqual([
      "*Piper health*",
      ":red_circle: *Database* (PostgreSQL) — unreachable",
      ":large_green_circle: *Slack* — working",
      ":red_circle: *GitHub* — unavailable, pausing calls since 05:06:07 UTC, 3 failure(s) in a row — last error: ServiceUnavailable: HTTP 502",
      ":white_circle: *Notion* — not connected",
      ":large_yellow_circle: *Language model* — recovering, testing the connection since 05:06:07 UTC — last error: TimedOut: 30000 ms",
    ]);
  });

  it("the Home tab shows the shorter lines from the same report", () => {
    expect(connectionLines(serviceHealth(snapshots))).toEqual([
      ":large_green_circle: *Slack* — working",
      ":red_circle: *GitHub* — unavailable, pausing calls (last error: ServiceUnavailable: HTTP 502)",
      ":white_circle: *Notion* — not connected",
      ":large_yellow_circle: *Language model* — recovering, testing the connection (last error: TimedOut: 30000 ms)",
    ]);
  });
});
