// What PostgreSQL's autovacuum does, done by Piper where nothing else does it: PGlite (Postgres single-user,
// no autovacuum) and a PostgreSQL server whose autovacuum is turned off.
import type { Logger } from "../logger.js";
import type { SqlExecutor } from "./sql.js";

export interface TableUpkeepOptions {
  sql: SqlExecutor;
  logger: Logger;
  /** How often the tables' change counters are read (default 10 s). */
  checkEveryMs?: number;
  /**
   * True when nothing waits on the database now (no Slack request for a moment). Upkeep holds PGlite's one
   * session for tens of milliseconds (and takes a server's CPU and disk), so it waits for a quiet moment —
   * looking every second — but never longer than `maxDeferMs` (default 60 s): under sustained load it runs
   * anyway. Absent: always quiet.
   */
  quiet?: () => boolean;
  maxDeferMs?: number;
  now?: () => number;
}

export interface TableUpkeep {
  /** Analyzes and vacuums now whichever tables are due, quiet or not; never throws. */
  runNow(): Promise<void>;
  stop(): void;
}

/**
 * autovacuum's own thresholds (PostgreSQL's defaults): a table is analyzed once more than 50 rows + 10 %
 * of it changed since its last ANALYZE, and vacuumed once its dead rows pass 50 + 20 %.
 */
const ANALYZE_BASE = 50;
const ANALYZE_SCALE = 0.1;
const VACUUM_BASE = 50;
const VACUUM_SCALE = 0.2;

const DUE_TABLES = `
SELECT quote_ident(s.schemaname) || '.' || quote_ident(s.relname) AS name,
       s.n_dead_tup > ${VACUUM_BASE} + ${VACUUM_SCALE} * greatest(c.reltuples, 0) AS vacuum
FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
WHERE s.n_mod_since_analyze > ${ANALYZE_BASE} + ${ANALYZE_SCALE} * greatest(c.reltuples, 0)
   OR s.n_dead_tup > ${VACUUM_BASE} + ${VACUUM_SCALE} * greatest(c.reltuples, 0)
ORDER BY 1`;

/**
 * Statistics taken when a table was small stay in the plans made from them: the ConversationTurn → Room
 * foreign-key check, planned while Room had 40 rows, scanned the whole table once it had 3,000 (0.5–0.9 ms
 * per turn instead of 0.02); reading rooms by key went through the territory's attention index (3 ms
 * instead of 0.8). And nothing reclaims the dead rows pg-boss and the room store leave behind. So, as
 * autovacuum would: every few seconds read the change counters (one cheap statement) and ANALYZE, or
 * VACUUM (ANALYZE), only the tables past its thresholds — each pass is as short as the change since the last.
 */
export function startTableUpkeep(options: TableUpkeepOptions): TableUpkeep {
  const log = options.logger.child({ component: "table-upkeep" });
  const now = options.now ?? Date.now;
  const quiet = options.quiet ?? (() => true);
  const maxDeferMs = options.maxDeferMs ?? 60_000;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  /** When the first check that found the database busy ran; undefined while nothing is deferred. */
  let busySince: number | undefined;
  let retry: NodeJS.Timeout | undefined;
  const pass = async () => {
    const startedAt = Date.now();
    try {
      // The counters reach pg_stat_* when the session flushes them; ask for that, then read them in the next statement.
      await options.sql.executeSql("SELECT pg_stat_force_next_flush()");
      const { rows } = await options.sql.executeSql(DUE_TABLES);
      const vacuum = rows.filter((r) => r.vacuum === true).map((r) => String(r.name));
      const analyze = rows.filter((r) => r.vacuum !== true).map((r) => String(r.name));
      // VACUUM cannot run in a transaction block; it goes alone. TRUNCATE false: giving trailing empty pages
      // back takes a lock that holds a server's inserts (the records Slack's acks wait for) while it scans,
      // and later rows reuse the pages anyway. ANALYZE goes in one implicit transaction with SET LOCAL (one
      // connection even from a pool): a small sample (statistics target 10, 3,000 rows instead of 30,000) is
      // plenty for Piper's key lookups and holds PGlite's one session a fraction as long — 75 ms for pg-boss's
      // job table at the default.
      if (vacuum.length > 0) await options.sql.executeSql(`VACUUM (TRUNCATE false) ${vacuum.join(", ")}`);
      const stale = [...vacuum, ...analyze];
      if (stale.length > 0) await options.sql.executeSql(`SET LOCAL default_statistics_target = 10; ANALYZE ${stale.join(", ")}`);
      if (rows.length > 0) log.debug({ vacuum, analyze, ms: Date.now() - startedAt }, "database upkeep done");
    } catch (err) {
      log.warn({ err }, "database upkeep failed; trying again at the next check");
    }
  };
  const run = () => {
    running = running.then(() => (stopped ? undefined : pass()));
    return running;
  };
  const check = () => {
    if (retry || stopped) return;
    if (!quiet() && (busySince === undefined || now() - busySince < maxDeferMs)) {
      busySince ??= now();
      retry = setTimeout(() => {
        retry = undefined;
        check();
      }, 1_000);
      retry.unref();
      return;
    }
    busySince = undefined;
    void run();
  };
  const timer = setInterval(check, options.checkEveryMs ?? 10_000);
  timer.unref();
  return {
    runNow: run,
    stop() {
      stopped = true;
      clearInterval(timer);
      clearTimeout(retry);
    },
  };
}

/**
 * Whether Piper must look after its tables itself: always on PGlite; on PostgreSQL only when the server's
 * autovacuum is off (some CI and hand-tuned servers) — without it, statistics from when the tables were
 * small stay in the plans and dead rows pile up, as on PGlite. Never throws: unknown means no.
 */
export async function needsTableUpkeep(kind: "pglite" | "postgres", sql: SqlExecutor): Promise<boolean> {
  if (kind === "pglite") return true;
  try {
    const { rows } = await sql.executeSql("SELECT current_setting('autovacuum') AS autovacuum");
    return rows[0]?.autovacuum === "off";
  } catch {
    return false;
  }
}
