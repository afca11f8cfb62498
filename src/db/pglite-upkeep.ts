// What PostgreSQL's autovacuum does for a server, done for PGlite: it runs Postgres single-user, with no autovacuum.
import type { Logger } from "../logger.js";
import type { SqlExecutor } from "./sql.js";

export interface PGliteUpkeepOptions {
  sql: SqlExecutor;
  logger: Logger;
  /** Statistics are refreshed this often (default 30 min), and first this long after start (default 10 s). */
  analyzeEveryMs?: number;
  firstAnalyzeAfterMs?: number;
  /** Dead rows (settled jobs, updated rooms) are reclaimed this often (default 1 h). */
  vacuumEveryMs?: number;
}

export interface PGliteUpkeep {
  /** Runs ANALYZE now (and VACUUM when `vacuum`); never throws. */
  runNow(options?: { vacuum?: boolean }): Promise<void>;
  stop(): void;
}

/**
 * Without statistics the planner guesses, and its guesses get worse as tables grow: reading 20 rooms out
 * of 6,000 took 3 ms through the territory's attention index instead of 0.8 ms through the room key. And
 * nothing reclaims the dead rows pg-boss leaves with every settled request. So, like autovacuum would:
 * ANALYZE soon after start and every half hour, VACUUM hourly. Each runs as one statement on PGlite's one
 * session and holds it meanwhile (tens of milliseconds at Piper's sizes), so not more often than that.
 */
export function startPGliteUpkeep(options: PGliteUpkeepOptions): PGliteUpkeep {
  const log = options.logger.child({ component: "pglite-upkeep" });
  let running: Promise<void> = Promise.resolve();
  const run = (vacuum: boolean) => {
    running = running.then(async () => {
      const startedAt = Date.now();
      try {
        await options.sql.executeSql(vacuum ? "VACUUM (ANALYZE)" : "ANALYZE");
        log.debug({ vacuum, ms: Date.now() - startedAt }, "database upkeep done");
      } catch (err) {
        log.warn({ err, vacuum }, "database upkeep failed; trying again at the next interval");
      }
    });
    return running;
  };
  const first = setTimeout(() => void run(false), options.firstAnalyzeAfterMs ?? 10_000);
  const analyze = setInterval(() => void run(false), options.analyzeEveryMs ?? 30 * 60_000);
  const vacuum = setInterval(() => void run(true), options.vacuumEveryMs ?? 3_600_000);
  for (const timer of [first, analyze, vacuum]) timer.unref();
  return {
    runNow: (o = {}) => run(o.vacuum ?? false),
    stop() {
      clearTimeout(first);
      clearInterval(analyze);
      clearInterval(vacuum);
    },
  };
}
