// Runs handler work after the ack: in order within a thread, bounded overall, refusing (not dropping) when full.
import PQueue from "p-queue";
import { PiperError } from "../errors.js";

export class QueueFullError extends PiperError {
  readonly code = "QUEUE_FULL";
  readonly userMessage = "I'm busy — try again in a minute.";
}

export interface WorkQueueOptions {
  /** Jobs running at once across all threads. */
  concurrency: number;
  /** Jobs accepted but not finished (running + waiting) before new work is refused. */
  maxPending: number;
}

type Job = () => Promise<void>;

/**
 * Each thread is a FIFO lane; at most one job per lane is in the shared PQueue at a time,
 * so a slow thread never holds more than one slot and replies within a thread keep their order.
 */
export class ThreadOrderedQueue {
  readonly #queue: PQueue;
  readonly #lanes = new Map<string, Job[]>();
  readonly #maxPending: number;
  #pending = 0;
  #idleWaiters: Array<() => void> = [];

  constructor(options: WorkQueueOptions) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) throw new TypeError("concurrency must be a positive integer");
    if (!Number.isInteger(options.maxPending) || options.maxPending < 1) throw new TypeError("maxPending must be a positive integer");
    this.#queue = new PQueue({ concurrency: options.concurrency });
    this.#maxPending = options.maxPending;
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
    void this.#queue.add(async () => {
      try {
        await job();
      } catch {
        // Jobs report their own failures; a throw here must not stall the lane.
      } finally {
        this.#pending--;
        const next = this.#lanes.get(lane)?.shift();
        if (next) this.#schedule(lane, next);
        else this.#lanes.delete(lane);
        if (this.#pending === 0) this.#notifyIdle();
      }
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
