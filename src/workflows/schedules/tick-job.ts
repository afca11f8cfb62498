// The one every-minute pg-boss cron job (`standup-tick`) that drives every channel's schedule.
import type { JobEngine } from "../../jobs/job-engine.js";
import type { Logger } from "../../logger.js";
import type { StandupScheduler } from "./scheduler.js";

export const TICK_QUEUE = "standup-tick";
export const TICK_CRON = "* * * * *";

export interface StandupTicks {
  /** Stops this process's worker; the cron row stays (other instances, and the next start, keep ticking). */
  stop(): Promise<void>;
}

/**
 * pg-boss keeps one schedule per queue and doesn't replay ticks missed while nothing ran, so there is one
 * cron for all channels and the scheduler works out what is due (and what was missed today) itself. The
 * cron fires once per minute across instances; whichever worker takes the job ticks. A tick that fails
 * is not retried: the next minute's tick sees the same due slots.
 */
export async function startStandupTicks(options: { boss: JobEngine; scheduler: StandupScheduler; logger: Logger; pollingIntervalSeconds?: number }): Promise<StandupTicks> {
  const { boss, scheduler } = options;
  const log = options.logger.child({ component: "standup-tick" });
  await boss.createQueue(TICK_QUEUE, { name: TICK_QUEUE, policy: "standard", retryLimit: 0, expireInSeconds: 15 * 60 });
  await boss.schedule(TICK_QUEUE, TICK_CRON, {}, { tz: "UTC", retryLimit: 0, expireInSeconds: 15 * 60 });
  const workerId = await boss.work(TICK_QUEUE, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 5 }, async () => {
    const result = await scheduler.tick();
    if (result.posted.length > 0 || result.failed.length > 0) log.info({ posted: result.posted.length, failed: result.failed.length }, "standup tick");
  });
  return {
    stop: () => boss.offWork({ id: workerId }).catch((err: unknown) => log.warn({ err }, "could not stop the standup tick worker")),
  };
}
