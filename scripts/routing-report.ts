// `npm run routing:report [-- --json]`: how people rated Piper's classifier-routed answers, per category and action.
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { ConfigError, loadConfig } from "../src/config.js";
import type { Database } from "../src/db/index.js";
import { openDatabase } from "../src/db/index.js";
import { isPiperError } from "../src/errors.js";
import { createLogger } from "../src/logger.js";

export interface Tally {
  votes: number;
  good: number;
  bad: number;
  /** good / votes, 0..1. */
  agreement: number;
}

export interface ActionTally extends Tally {
  action: string;
}

export interface CategoryTally extends Tally {
  category: string;
  /** Actions with at least one 👎, lowest agreement first (then most votes): at most WORST_ACTIONS. */
  worstActions: ActionTally[];
}

export interface RoutingReport extends Tally {
  categories: CategoryTally[];
}

export const WORST_ACTIONS = 3;
/** Votes whose turn was not found when they were cast (its write failed or came late) have no intent. */
export const UNKNOWN = "(unknown)";

/** One query: votes per category and action (the intent was copied onto each vote when it was cast). */
export async function routingReport(db: Pick<Database, "sql">): Promise<RoutingReport> {
  const { rows } = await db.sql.executeSql(
    `SELECT COALESCE(category, $1) AS category, COALESCE(action, $1) AS action,
            count(*)::int AS votes, (count(*) FILTER (WHERE vote = 'good'))::int AS good
     FROM "FeedbackVote" GROUP BY 1, 2`,
    [UNKNOWN],
  );
  const byCategory = new Map<string, ActionTally[]>();
  for (const row of rows as Array<{ category: string; action: string; votes: number; good: number }>) {
    const list = byCategory.get(row.category) ?? [];
    list.push({ action: row.action, ...tally(row.votes, row.good) });
    byCategory.set(row.category, list);
  }
  const categories: CategoryTally[] = [...byCategory].map(([category, actions]) => {
    const votes = sum(actions, "votes");
    const good = sum(actions, "good");
    const worstActions = actions
      .filter((a) => a.bad > 0)
      .sort((a, b) => a.agreement - b.agreement || b.votes - a.votes || a.action.localeCompare(b.action))
      .slice(0, WORST_ACTIONS);
    return { category, ...tally(votes, good), worstActions };
  });
  categories.sort((a, b) => b.votes - a.votes || a.category.localeCompare(b.category));
  return { ...tally(sum(categories, "votes"), sum(categories, "good")), categories };
}

function tally(votes: number, good: number): Tally {
  return { votes, good, bad: votes - good, agreement: votes === 0 ? 0 : good / votes };
}

function sum<T extends Tally>(items: T[], key: "votes" | "good"): number {
  return items.reduce((n, i) => n + i[key], 0);
}

const pct = (t: Tally) => `${Math.round(t.agreement * 100)}%`;

export function formatReport(report: RoutingReport): string {
  if (report.votes === 0) return "No feedback yet: nobody has clicked 👍 or 👎 under an answer.\n";
  const lines = [`Routing feedback: ${report.votes} vote${report.votes === 1 ? "" : "s"}, ${report.good} 👍, ${report.bad} 👎 — ${pct(report)} agreement`, ""];
  const width = Math.max("Category".length, ...report.categories.map((c) => c.category.length));
  lines.push(`${"Category".padEnd(width)}  ${"Votes".padStart(5)}  ${"👍".padStart(4)}  ${"👎".padStart(4)}  Agreement`);
  for (const c of report.categories) {
    lines.push(`${c.category.padEnd(width)}  ${String(c.votes).padStart(5)}  ${String(c.good).padStart(4)}  ${String(c.bad).padStart(4)}  ${pct(c).padStart(9)}`);
    if (c.worstActions.length > 0) lines.push(`${" ".repeat(width)}  worst: ${c.worstActions.map((a) => `${a.action} ${pct(a)} (${a.good}/${a.votes})`).join(", ")}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Prints the report (as JSON with --json) to `write`; the caller opens and closes the database. */
export async function main(argv: string[], db: Pick<Database, "sql">, write: (text: string) => void = (t) => void process.stdout.write(t)): Promise<RoutingReport> {
  const report = await routingReport(db);
  write(argv.includes("--json") ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  return report;
}

// Run as a command: the configured database, opened (and migrated) the way `npm run db:migrate` does.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (existsSync(".env")) process.loadEnvFile(".env");
  try {
    const config = loadConfig();
    const db = await openDatabase(config.database, createLogger({ level: "warn" }));
    try {
      await main(process.argv.slice(2), db);
    } finally {
      await db.close();
    }
    // Exit explicitly: a stray handle (PGlite, a pg pool) must not keep the command running.
    process.exit(0);
  } catch (err) {
    if (err instanceof ConfigError) process.stderr.write(`Config error: ${err.message}\n`);
    else if (isPiperError(err)) process.stderr.write(`Cannot read feedback: ${err.message}\n`);
    else process.stderr.write(`Report failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  }
}
