// The durable record of every Slack request Piper acknowledged: a pg-boss job, deferred by a lease while this process answers it.
import plans from "pg-boss/src/plans.js";
import { z } from "zod";
import type { SqlExecutor } from "../db/sql.js";
import type { JobEngine } from "../jobs/job-engine.js";
import { jobIdFor } from "../jobs/job-id.js";
import type { Logger } from "../logger.js";
import type { Inbound } from "./inbound.js";

export const ACCEPTED_QUEUE = "slack-accepted";

/**
 * pg-boss's own multi-job insert (the statement behind `boss.insert()`), plus RETURNING, which
 * `insert()` lacks: the ids that come back are the requests that were new. Taken from pg-boss rather
 * than copied, so it follows the installed version's table layout.
 */
const INSERT_JOBS_RETURNING_IDS = `${plans.insertJobs(plans.DEFAULT_SCHEMA).trimEnd()} RETURNING id`;
/** Its parameters: the jobs as JSON, then the defaults (expire_in, keep_until, retry limit, delay, backoff) Piper leaves to the queue. */
const INSERT_JOBS_PREPARED = { name: "piper_accept_jobs", types: ["json", "text", "text", "int", "int", "bool"] } as const;

/** What a recovering worker needs to answer a request this (or another) process accepted and never finished. */
const storedRequestSchema = z.object({
  v: z.literal(1),
  receivedAt: z.number(),
  inbound: z.object({
    id: z.string(),
    source: z.enum(["mention", "dm", "slash"]),
    territory: z.string(),
    room: z.object({ id: z.string(), kind: z.enum(["channel", "private", "dm", "group_dm", "shared"]) }),
    threadTs: z.string().optional(),
    ts: z.string().optional(),
    user: z.string(),
    text: z.string(),
  }),
  /** Slash commands answer through response_url (valid for 30 minutes); a secret of sorts, never logged. */
  responseUrl: z.string().optional(),
  responseType: z.enum(["ephemeral", "in_channel"]).optional(),
  /** Set when handed over before any work started: nothing can be in Slack yet, so recovery needn't look. */
  untouched: z.boolean().optional(),
  /** Piper's progress placeholder in the thread, once posted: recovery answers into it (chat.update is idempotent). */
  placeholder: z.object({ channel: z.string(), ts: z.string() }).optional(),
});
export type StoredRequest = z.infer<typeof storedRequestSchema>;

export type AcceptOutcome =
  /** Recorded: this process answers it now and settles it; if it dies, another worker will. */
  | "recorded"
  /** Slack delivered it before (a retry, or another instance has it): do nothing. */
  | "duplicate"
  /** The database could not record it: answer it anyway (once more beats never), without the safety net. */
  | "unrecorded";

export interface RecoveredRequest {
  id: string;
  request: StoredRequest;
  /** How many times a worker has already tried this job (0 on the first pick-up). */
  attempt: number;
}

export interface AcceptedEventsOptions {
  boss: JobEngine;
  sql: SqlExecutor;
  logger: Logger;
  /** While this process works on a request, no worker may take it; renewed until settled. */
  leaseMs: number;
  /** A worker that took a job and then died gives it up after this (pg-boss has no heartbeat). */
  expireInSeconds: number;
  /** How many recovered requests one process answers at once. */
  recoveryConcurrency: number;
  /**
   * Request records start at most this often (default 10 ms): each statement has a fixed cost (about a
   * millisecond on PGlite) that one row or ten pay alike. Only acks wait for records, never replies.
   */
  minRecordIntervalMs?: number;
  pollingIntervalSeconds?: number;
  now?: () => number;
}

/**
 * Accept → (answer in-process) → settle. The job is created deferred (start_after = now + lease)
 * so no worker takes it while this process answers it at once; the lease is renewed in one
 * statement for all requests in flight. Settling cancels the job (pg-boss's complete() moves only
 * active jobs) and keeps its id, so a Slack redelivery is still rejected. If the process dies, the
 * lease runs out and any instance's worker answers it — after looking whether it already was.
 */
export class AcceptedEvents {
  readonly #inFlight = new Set<string>();
  readonly #toSettle = new Set<string>();
  readonly #log: Logger;
  readonly #now: () => number;
  #renewTimer: NodeJS.Timeout | undefined;
  #settleTimer: NodeJS.Timeout | undefined;
  #settling: Promise<void> = Promise.resolve();
  #workerId: string | undefined;
  #toRecord: Array<{ id: string; request: StoredRequest; resolve: (o: AcceptOutcome) => void }> = [];
  #recordTimer: NodeJS.Immediate | NodeJS.Timeout | undefined;
  #lastRecordAt = Number.NEGATIVE_INFINITY;
  readonly #minRecordIntervalMs: number;
  /** A record statement is in flight: requests arriving meanwhile wait for it and go together in the next one. */
  #recording = false;
  #lastAcceptedAt = Number.NEGATIVE_INFINITY;

  private constructor(private readonly options: AcceptedEventsOptions) {
    this.#log = options.logger.child({ component: "accepted-events" });
    this.#now = options.now ?? Date.now;
    this.#minRecordIntervalMs = options.minRecordIntervalMs ?? 10;
  }

  static async create(options: AcceptedEventsOptions): Promise<AcceptedEvents> {
    if (options.leaseMs < 1_000) throw new TypeError("leaseMs must be at least 1000");
    await options.boss.createQueue(ACCEPTED_QUEUE, {
      name: ACCEPTED_QUEUE,
      policy: "standard",
      expireInSeconds: options.expireInSeconds,
      retryLimit: 4,
      retryDelay: 5,
      retryBackoff: true,
    });
    const accepted = new AcceptedEvents(options);
    accepted.#renewTimer = setInterval(() => void accepted.#renew(), Math.max(500, Math.floor(options.leaseMs / 3)));
    accepted.#renewTimer.unref();
    return accepted;
  }

  static jobId(inbound: Pick<Inbound, "territory" | "id">): string {
    return jobIdFor(`${inbound.territory}:${inbound.id}`);
  }

  /** When the last Slack request was accepted (−Infinity before the first): how busy the database is about to be. */
  get lastAcceptedAt(): number {
    return this.#lastAcceptedAt;
  }

  isInFlight(id: string): boolean {
    return this.#inFlight.has(id);
  }

  /**
   * Records the request before Slack gets its ack. Never throws. A group commit: requests arriving in
   * the same turn of the event loop, while the previous record statement is in flight, or within
   * minRecordIntervalMs of its start, are recorded together in one statement. Quiet, a request is
   * recorded at once; under load the batches grow instead of the statements queueing up.
   * `id`: the request's job id, when the caller has already derived it (a SHA-1 per request, on the ack path).
   */
  accept(inbound: Inbound, extra: Pick<StoredRequest, "responseUrl" | "responseType"> = {}, id = AcceptedEvents.jobId(inbound)): Promise<AcceptOutcome> {
    const { history: _history, ...rest } = inbound;
    const request: StoredRequest = { v: 1, receivedAt: this.#now(), inbound: rest, ...extra };
    this.#lastAcceptedAt = request.receivedAt;
    return new Promise((resolve) => {
      this.#toRecord.push({ id, request, resolve });
      this.#scheduleRecord();
    });
  }

  #scheduleRecord(): void {
    if (this.#recording || this.#recordTimer || this.#toRecord.length === 0) return;
    const record = () => {
      this.#recordTimer = undefined;
      this.#recording = true;
      this.#lastRecordAt = this.#now();
      void this.#recordBatch().finally(() => {
        this.#recording = false;
        this.#scheduleRecord();
      });
    };
    // Quiet, at once; busy, statements at most every minRecordIntervalMs, each carrying what arrived meanwhile.
    const wait = this.#lastRecordAt + this.#minRecordIntervalMs - this.#now();
    this.#recordTimer = wait > 0 ? setTimeout(record, wait) : setImmediate(record);
  }

  async #recordBatch(): Promise<void> {
    const batch = this.#toRecord;
    this.#toRecord = [];
    // One statement cannot insert a key twice; a repeat within the batch is a duplicate by definition.
    const first = new Map<string, (typeof batch)[number]>();
    for (const item of batch) {
      if (first.has(item.id)) item.resolve("duplicate");
      else first.set(item.id, item);
    }
    const startAfter = new Date(this.#now() + this.options.leaseMs).toISOString();
    const jobs = [...first.values()].map((item) => ({ id: item.id, name: ACCEPTED_QUEUE, data: item.request, startAfter }));
    try {
      const { rows } = await this.options.sql.executeSql(INSERT_JOBS_RETURNING_IDS, [JSON.stringify(jobs), null, null, null, null, null], { prepared: INSERT_JOBS_PREPARED, urgent: true });
      const created = new Set(rows.map((r) => String(r.id)));
      for (const item of first.values()) {
        if (created.has(item.id)) {
          this.#inFlight.add(item.id);
          item.resolve("recorded");
        } else item.resolve("duplicate");
      }
    } catch (err) {
      this.#log.warn({ err, requests: first.size }, "could not record requests durably; answering them without a safety net");
      for (const item of first.values()) item.resolve("unrecorded");
    }
  }

  /** The answer is in Slack: take the job off the queue (batched with others settling at the same moment). */
  settle(id: string): void {
    this.#inFlight.delete(id);
    this.#toSettle.add(id);
    // A quarter second: the job stays deferred by its lease meanwhile, and one statement settles many.
    this.#settleTimer ??= setTimeout(() => {
      this.#settleTimer = undefined;
      this.#settling = this.#settling.then(() => this.#flushSettled());
    }, 250);
  }

  /**
   * This process will not finish it (queue full, or shutting down): make it due now, so a worker —
   * here or on another instance — answers it as soon as it has room.
   */
  async handOver(ids: string[], how: { untouched?: boolean } = {}): Promise<void> {
    if (ids.length === 0) return;
    for (const id of ids) this.#inFlight.delete(id);
    const mark = how.untouched ? `, data = data || '{"untouched": true}'::jsonb` : "";
    await this.options.sql
      .executeSql(`UPDATE pgboss.job SET start_after = now()${mark} WHERE name = $1 AND id = ANY($2::uuid[]) AND state = 'created'`, [ACCEPTED_QUEUE, ids])
      .catch((err: unknown) => this.#log.warn({ err, count: ids.length }, "could not hand requests over; their lease will run out instead"));
  }

  /** Remembers the progress placeholder (slow requests only), so recovery replaces it without reading the thread. */
  async notePlaceholder(id: string, placeholder: { channel: string; ts: string }): Promise<void> {
    await this.options.sql
      .executeSql(`UPDATE pgboss.job SET data = data || jsonb_build_object('placeholder', $3::jsonb) WHERE name = $1 AND id = $2 AND state = 'created'`, [
        ACCEPTED_QUEUE,
        id,
        JSON.stringify(placeholder),
      ])
      .catch((err: unknown) => this.#log.warn({ err }, "could not note the placeholder; recovery would look for it in the thread"));
  }

  /** Stops renewing the lease: the request becomes due when the lease runs out (e.g. Slack refused the answer). */
  release(id: string): void {
    this.#inFlight.delete(id);
  }

  /** Starts this process's worker for requests whose lease ran out or that were handed over. */
  async startRecovery(handler: (job: RecoveredRequest) => Promise<void>): Promise<void> {
    const batchSize = this.options.recoveryConcurrency;
    this.#workerId = await this.options.boss.work<StoredRequest>(
      ACCEPTED_QUEUE,
      { batchSize, includeMetadata: true, pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 2 },
      async (jobs) => {
        // pg-boss completes or fails the whole batch by the handler's outcome; failures are retried per job.
        const results = await Promise.allSettled(
          jobs.map(async (job) => {
            const parsed = storedRequestSchema.safeParse(job.data);
            if (!parsed.success) {
              this.#log.error({ jobId: job.id, issues: parsed.error.issues.length }, "a stored request has an unexpected shape; dropping it");
              return;
            }
            await handler({ id: job.id, request: parsed.data, attempt: job.retryCount });
          }),
        );
        const failed = jobs.filter((_, i) => results[i]!.status === "rejected").map((j) => j.id);
        if (failed.length > 0 && failed.length < jobs.length) {
          // Retry only the ones that failed: fail them ourselves, and let the batch complete the rest.
          await this.options.boss.fail(ACCEPTED_QUEUE, failed);
        } else if (failed.length > 0) {
          throw (results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason;
        }
      },
    );
  }

  /** Stops taking recovered requests (shutdown: what this process hands over is for the next one). */
  async stopRecovery(): Promise<void> {
    const id = this.#workerId;
    this.#workerId = undefined;
    if (id) await this.options.boss.offWork({ id }).catch((err: unknown) => this.#log.warn({ err }, "could not stop the recovery worker"));
  }

  /** Wakes the worker now instead of at its next poll (tests and the overflow path). */
  wakeWorker(): void {
    if (this.#workerId) this.options.boss.notifyWorker(this.#workerId);
  }

  /** Stops the timers and flushes settled ids; requests still in flight stay recorded for recovery. */
  async close(): Promise<void> {
    clearInterval(this.#renewTimer);
    if (this.#settleTimer) {
      clearTimeout(this.#settleTimer);
      this.#settleTimer = undefined;
      this.#settling = this.#settling.then(() => this.#flushSettled());
    }
    await this.#settling;
    await this.stopRecovery();
  }

  /** Ids this process still holds a lease on. */
  heldIds(): string[] {
    return [...this.#inFlight];
  }

  async #flushSettled(): Promise<void> {
    const ids = [...this.#toSettle];
    this.#toSettle.clear();
    if (ids.length === 0) return;
    try {
      await this.options.boss.cancel(ACCEPTED_QUEUE, ids);
    } catch (err) {
      // Not fatal: a worker that takes one of these later finds Piper's answer in the thread and stops.
      this.#log.warn({ err, count: ids.length }, "could not settle answered requests");
    }
  }

  /** One statement renews every lease this process holds. */
  async #renew(): Promise<void> {
    const ids = [...this.#inFlight];
    if (ids.length === 0) return;
    const seconds = this.options.leaseMs / 1000;
    await this.options.sql
      .executeSql(
        `UPDATE pgboss.job SET start_after = now() + ($3::float8 * interval '1 second') WHERE name = $1 AND id = ANY($2::uuid[]) AND state = 'created'`,
        [ACCEPTED_QUEUE, ids, seconds],
      )
      .catch((err: unknown) => this.#log.warn({ err, count: ids.length }, "could not renew request leases"));
  }
}
