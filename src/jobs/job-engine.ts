// Starts pg-boss (durable jobs, retries, expiry, cron) on Piper's own database, PGlite or PostgreSQL.
import PgBoss from "pg-boss";
import type { SqlExecutor } from "../db/sql.js";
import type { Logger } from "../logger.js";

export type JobEngine = PgBoss;

export interface JobEngineOptions {
  sql: SqlExecutor;
  logger: Logger;
  /**
   * How often pg-boss expires jobs whose process died (it has no heartbeat) and archives finished ones.
   * Recovery after a crash takes about a job's expiry plus this.
   */
  maintenanceIntervalSeconds: number;
}

/**
 * One engine per process, over the same executor Piper uses, so PGlite keeps one session and
 * PostgreSQL one small pool. pg-boss creates and migrates its own schema (`pgboss`) on start.
 */
export async function startJobEngine(options: JobEngineOptions): Promise<JobEngine> {
  const log = options.logger.child({ component: "jobs" });
  const boss = new PgBoss({
    db: { executeSql: (text, values) => options.sql.executeSql(text, values) },
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds,
    supervise: true,
    migrate: true,
    // Cron: scheduled standups' one every-minute `standup-tick` (src/workflows/schedules/tick-job.ts).
    schedule: true,
    // Finished jobs are kept long enough that a Slack redelivery (within ~5 minutes) still finds the id.
    archiveCompletedAfterSeconds: 3_600,
  });
  // An unhandled 'error' event would crash the process; pg-boss retries its own loops, so log it.
  boss.on("error", (err) => log.warn({ err }, "job engine error"));
  await boss.start();
  return boss;
}
