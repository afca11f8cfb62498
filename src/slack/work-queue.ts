// Runs handler work after the ack: in order within a thread, bounded overall, refusing (not dropping) when full.
import PQueue from "p-queue";
import { PiperError } from "../errors.js";

export class QueueFullError extends PiperError {
  readonly code = "QUEUE_FULL";
  readonly userMessage = "I'm busy — try again in a minute.";
}

export interface WorkQueueOptions {
  /** Jobs computing at once across all threads (a job waiting only on Slack's pacing holds no slot). */
  concurrency: number;
  /** Jobs accepted but not finished (running + waiting) before new work is refused. */
  maxPending: number;
  /** Told about a job that threw; jobs are meant to report their own failures, so this is a bug's trail. */
  onJobError?: (err: unknown, lane: string) => void;
}

/** Handed to each job: `release()` gives back its concurrency slot while the job goes on (its lane stays held). */
export interface Slot {
  release(): void;
}

type Job = (slot: Slot) => Promise<void>;

/**
 * Each thread is a FIFO lane; at most one job per lane is running at a time, so replies within a
 * thread keep their order and a slow thread never holds more than one slot. A job releases its slot
 * once only delivery is left: waiting for one channel's pacing must never delay another channel.
 */
export class ThreadOrderedQueue {
  readonly #queue: PQueue;
  readonly #lanes = new Map<string, Job[]>();
  readonly #maxPending: number;
  readonly #onJobError: (err: unknown, lane: string) => void;
  #pending = 0;
  #idleWaiters: Array<() => void> = [];

  constructor(options: WorkQueueOptions) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) throw new TypeError("concurrency must be a positive integer");
    if (!Number.isInteger(options.maxPending) || options.maxPending < 1) throw new TypeError("maxPending must be a positive integer");
    this.#queue = new PQueue({ concurrency: options.concurrency });
    this.#maxPending = options.maxPending;
    this.#onJobError = options.onJobError ?? (() => undefined);
  }

  get pending(): number {
    return this.#pending;
  }

  /**
   * Accepts a job for a lane; throws QueueFullError when the queue is at capacity.
   * The job's own errors are its business: it must catch them (the responder does).
   */
  enqueue(lane: string, job: Job): void {
    if (this.#pending >= this.#maxPending) throw new QueueFullError(`work queue full (${this.#pending} pending)`);
    this.#pending++;
    const waiting = this.#lanes.get(lane);
    if (waiting) {
      waiting.push(job);
      return;
    }
    this.#lanes.set(lane, []);
    this.#schedule(lane, job);
  }

  #schedule(lane: string, job: Job): void {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let start!: () => void;
    const started = new Promise<void>((resolve) => (start = resolve));
    const run = (async () => {
      // Started by the PQueue task below, so the job begins only once it has a slot.
      await started;
      try {
        await job({ release });
      } catch (err) {
        this.#onJobError(err, lane);
      }
    })();
    void this.#queue.add(async () => {
      start();
      await Promise.race([run, released]);
    });
    void run.then(() => {
      this.#pending--;
      const next = this.#lanes.get(lane)?.shift();
      if (next) this.#schedule(lane, next);
      else this.#lanes.delete(lane);
      if (this.#pending === 0) this.#notifyIdle();
    });
  }

  /** Resolves when every accepted job has finished (used for graceful shutdown and tests). */
  onIdle(): Promise<void> {
    if (this.#pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #notifyIdle(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w();
  }
}
