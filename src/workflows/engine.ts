// Runs workflows: independent tasks in parallel (bounded), a task once its dependencies are done, a failed
// critical task stops the run. Every run is recorded under a lease this instance renews, so a run whose
// process died is found by any instance and resumed from its finished tasks, or failed — never left running.
//
// Recording stays off the critical path where durability allows it: a run's writes (its insert, task
// transitions, its end) go through one journal per run, which folds what is asked for within a short
// window into one statement and writes one batch at a time, so they land in the order they were made.
// Only three things wait for a write: a side-effecting task for its start (and so for everything before
// it), a run's end for everything before it, and `start()` for that end.
import { randomUUID } from "node:crypto";
import type { Logger } from "../logger.js";
import type { NewRun, RunFinish, RunStore, RunWrite, StoredRun, TaskPatch } from "./run-store.js";
import {
  RunCancelledError,
  TaskTimeoutError,
  UnknownWorkflowError,
  WorkflowGraphError,
  type ProgressSnapshot,
  type RegisterOptions,
  type SlowRun,
  type TaskContext,
  type TaskFailure,
  type TaskSpec,
  type TaskState,
  type WorkflowContext,
  type WorkflowResult,
  type WorkflowSpec,
} from "./types.js";

export type EngineLogger = Pick<Logger, "warn" | "error" | "info">;

export interface WorkflowEngineOptions {
  store: RunStore;
  /** Recorded as the owner of the runs this engine holds (e.g. hostname:pid:random). */
  instanceId: string;
  /** Tasks running at once across this engine's runs (default 8). */
  concurrency?: number;
  /** How long a run stays this instance's without renewal (default 30 s); renewed every lease/3. */
  leaseMs?: number;
  logger: EngineLogger;
  /** The clock for recorded times and leases (tests move it). */
  now?: () => number;
  /** Every task transition and progress label, for a caller that edits one placeholder. */
  onProgress?: (snapshot: ProgressSnapshot) => void;
  /** A run slower than its type's threshold (also logged as a warning). */
  onSlowRun?: (slow: SlowRun) => void;
  /**
   * A run whose owner died was failed "interrupted" (its type is not resumable, not registered here, or its
   * tasks changed): the caller can say so in the run's thread. Called once the failure is recorded, so at
   * most once per run (a crash in between loses the message rather than sending it twice). Awaited by
   * recovery; an error it throws is logged.
   */
  onRunInterrupted?: (run: { runId: string; type: string; context: WorkflowContext }) => void | Promise<void>;
}

export interface StartOptions {
  /** Progress of this run only (besides the engine-wide hook). */
  onProgress?: (snapshot: ProgressSnapshot) => void;
}

interface Registered {
  spec: WorkflowSpec;
  resumable: boolean;
  answersRequest: boolean;
  /** Task specs in a topological order. */
  order: TaskSpec[];
  byName: Map<string, TaskSpec>;
}

/** Checks names are unique, dependencies exist and there is no cycle; returns the tasks in dependency order. */
export function validateWorkflow(spec: WorkflowSpec): TaskSpec[] {
  if (spec.tasks.length === 0) throw new WorkflowGraphError(spec.type, "empty", `workflow ${spec.type} has no tasks`);
  const byName = new Map<string, TaskSpec>();
  for (const task of spec.tasks) {
    if (byName.has(task.name)) throw new WorkflowGraphError(spec.type, "duplicate-task", `workflow ${spec.type} has two tasks named ${task.name}`);
    byName.set(task.name, task);
  }
  for (const task of spec.tasks) {
    for (const dep of allDeps(task)) {
      if (!byName.has(dep)) throw new WorkflowGraphError(spec.type, "unknown-dependency", `task ${task.name} of ${spec.type} depends on unknown task ${dep}`);
    }
  }
  // Depth-first, colouring nodes; a grey node met again closes a cycle.
  const colour = new Map<string, "grey" | "black">();
  const order: TaskSpec[] = [];
  const visit = (task: TaskSpec, path: string[]): void => {
    const c = colour.get(task.name);
    if (c === "black") return;
    if (c === "grey") {
      const cycle = [...path.slice(path.indexOf(task.name)), task.name].join(" → ");
      throw new WorkflowGraphError(spec.type, "cycle", `workflow ${spec.type} has a dependency cycle: ${cycle}`);
    }
    colour.set(task.name, "grey");
    for (const dep of allDeps(task)) visit(byName.get(dep)!, [...path, task.name]);
    colour.set(task.name, "black");
    order.push(task);
  };
  for (const task of spec.tasks) visit(task, []);
  return order;
}

function allDeps(task: TaskSpec): string[] {
  return [...new Set([...(task.dependsOn ?? []), ...(task.optionalDeps ?? [])])];
}

function isCritical(task: TaskSpec): boolean {
  return task.critical !== false;
}

/** Later fields of `b` over `a`'s: a start then a finish of one task, written together, are one patch. */
function fold(a: TaskPatch | undefined, b: TaskPatch): TaskPatch {
  if (!a) return { ...b };
  const out: TaskPatch = { ...a, status: b.status };
  if (b.attempt !== undefined) out.attempt = b.attempt;
  if (b.startedAt !== undefined) out.startedAt = b.startedAt;
  if (b.finishedAt !== undefined) out.finishedAt = b.finishedAt;
  if (b.error !== undefined) out.error = b.error;
  if ("output" in b) out.output = b.output;
  return out;
}

/**
 * Whether a task's output can be written as JSON (a BigInt or a cycle can't). Checked when the task ends,
 * so one bad output is recorded without it instead of failing the batch it would share with other tasks.
 */
function storable(value: unknown): { ok: true } | { ok: false; error: unknown } {
  try {
    JSON.stringify(value);
    return { ok: true };
  } catch (error) {
    return { ok: false, error };
  }
}

function errorText(err: unknown): string {
  if (err instanceof Error) return err.name && err.name !== "Error" ? `${err.name}: ${err.message}` : err.message;
  return String(err);
}

type InternalState = TaskState | "queued";

interface Waiter {
  resolve(owned: boolean): void;
  reject(err: unknown): void;
}

/**
 * How long a background transition (a read-only task's start or end, a skip, a cancel) may wait for others
 * to join its batch. Tasks whose timers fire a millisecond apart then share one statement, and no write
 * (on PGlite: work on this thread) runs between them. What someone waits for does not wait this long.
 */
const BATCH_WINDOW_MS = 10;

/**
 * One run's writes, batched and ordered. Transitions wait up to BATCH_WINDOW_MS for company; what someone
 * is waiting for (the run's insert, a side-effecting task's start, the run's end) goes at the end of this
 * turn of the event loop, with everything asked for before it. Task patches fold per task, so a batch holds
 * each task's latest state; batches are written one at a time, so the database always holds a prefix of
 * the run's history: a finish never lands before its start, and nothing lands before the run's insert
 * (the first batch of a new run).
 */
class RunJournal {
  #create: NewRun | undefined;
  readonly #tasks = new Map<string, TaskPatch>();
  #finish: RunFinish | undefined;
  #waiters: Waiter[] = [];
  /** Something waiting in #tasks/#finish/#create is awaited by someone: write it without the window. */
  #urgent = false;
  /** "soon": a setImmediate is due; "window": a timer for BATCH_WINDOW_MS is. */
  #scheduled: "soon" | "window" | undefined;
  #windowTimer: NodeJS.Timeout | undefined;
  /** A batch is being written; the writer takes what is waiting when it is done. */
  #writing = false;
  /** The run's row exists (its insert landed, or the run was claimed from the database). */
  recorded: boolean;
  /** The run is another instance's now: nothing more is written. */
  lost = false;
  /** The run's insert failed: nothing of it can be written. */
  failed: { error: unknown } | undefined;

  constructor(
    private readonly store: RunStore,
    private readonly runId: string,
    private readonly owner: string,
    create: NewRun | undefined,
    private readonly hooks: { lost(): void; insertFailed(err: unknown): void; log: EngineLogger },
  ) {
    this.#create = create;
    this.recorded = create === undefined;
    // The insert goes out at the end of this turn, with the starts of the tasks launched in it.
    if (create) {
      this.#urgent = true;
      this.#schedule();
    }
  }

  failure(): { error: unknown } | undefined {
    return this.failed;
  }

  /**
   * Resolves true once the patch is written, false if the run was lost first; rejects if its batch failed.
   * `urgent`: someone waits for it (it goes without the batching window).
   */
  tasks(names: string[], patch: TaskPatch, urgent = false): Promise<boolean> {
    if (this.lost) return Promise.resolve(false);
    if (this.failed) return Promise.reject(this.failed.error);
    for (const name of names) this.#tasks.set(name, fold(this.#tasks.get(name), patch));
    return this.#wait(urgent);
  }

  /** The run's end, with everything asked for before it, at once. */
  end(finish: RunFinish): Promise<boolean> {
    if (this.lost) return Promise.resolve(false);
    if (this.failed) return Promise.reject(this.failed.error);
    this.#finish = finish;
    return this.#wait(true);
  }

  #wait(urgent: boolean): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.#waiters.push({ resolve, reject });
      if (urgent) this.#urgent = true;
      this.#schedule();
    });
  }

  #pending(): boolean {
    return this.#create !== undefined || this.#tasks.size > 0 || this.#finish !== undefined;
  }

  #schedule(): void {
    if (this.#writing || this.lost || this.failed) return; // the writer looks again when its batch is done
    if (this.#urgent) {
      if (this.#scheduled === "soon") return;
      clearTimeout(this.#windowTimer);
      this.#scheduled = "soon";
      setImmediate(() => void this.#drain());
    } else if (!this.#scheduled) {
      this.#scheduled = "window";
      this.#windowTimer = setTimeout(() => void this.#drain(), BATCH_WINDOW_MS);
    }
  }

  async #drain(): Promise<void> {
    this.#scheduled = undefined;
    clearTimeout(this.#windowTimer);
    if (this.#writing) return;
    this.#writing = true;
    try {
      await this.#writeBatches();
    } catch (err) {
      this.hooks.log.error({ err, runId: this.runId }, "workflow journal failed");
    } finally {
      this.#writing = false;
      // What was asked for during the last write, and not urgent, waits for its window.
      if (this.#pending() && this.#waiters.length > 0) this.#schedule();
    }
  }

  /** Writes batches while something urgent is waiting. */
  async #writeBatches(): Promise<void> {
    do {
      if (this.lost || this.failed || !this.#pending()) return;
      const batch: RunWrite = {
        runId: this.runId,
        owner: this.owner,
        create: this.#create,
        tasks: [...this.#tasks].map(([name, patch]) => ({ name, patch })),
        finish: this.#finish,
      };
      const waiters = this.#waiters;
      this.#waiters = [];
      this.#tasks.clear();
      this.#finish = undefined;
      this.#urgent = false;
      let owned: boolean;
      try {
        owned = await this.store.write(batch);
      } catch (err) {
        if (batch.create) {
          this.failed = { error: err };
          this.hooks.log.error({ err, runId: this.runId }, "could not record a workflow run; stopping it");
          for (const w of [...waiters, ...this.#waiters.splice(0)]) w.reject(err);
          this.hooks.insertFailed(err);
          return;
        }
        this.hooks.log.warn({ err, runId: this.runId, tasks: batch.tasks.map((t) => t.name) }, "could not record workflow transitions; they go with the next write");
        // Put the batch back under what was asked for since, so the next write carries it; it is retried
        // when something new is asked for, not in a loop.
        for (const { name, patch } of batch.tasks) {
          const newer = this.#tasks.get(name);
          this.#tasks.set(name, newer ? fold(patch, newer) : patch);
        }
        this.#finish ??= batch.finish;
        for (const w of waiters) w.reject(err);
        continue;
      }
      this.#create = undefined;
      this.recorded = true;
      if (!owned) {
        this.lost = true;
        this.#tasks.clear();
        this.#finish = undefined;
        for (const w of [...waiters, ...this.#waiters.splice(0)]) w.resolve(false);
        this.hooks.lost();
        return;
      }
      for (const w of waiters) w.resolve(true);
    } while (this.#urgent);
  }
}

/** One run in this process. */
class Execution {
  readonly states = new Map<string, InternalState>();
  readonly labels = new Map<string, string>();
  readonly outputs = new Map<string, unknown>();
  readonly attempts = new Map<string, number>();
  readonly failures: TaskFailure[] = [];
  readonly causes = new Map<string, unknown>();
  readonly controllers = new Map<string, AbortController>();
  /** Fires when the run stops, so tasks still waiting for a slot give up. */
  readonly stop = new AbortController();
  stopReason: string | undefined;
  /** Another instance took the run over: no more writes. */
  lost = false;
  /** The run's end is being recorded: its lease is no longer renewed. */
  ending = false;
  journal!: RunJournal;

  constructor(
    readonly runId: string,
    readonly reg: Registered,
    readonly input: unknown,
    readonly startedAt: number,
    readonly onProgress: ((s: ProgressSnapshot) => void) | undefined,
  ) {
    for (const task of reg.order) this.states.set(task.name, "pending");
  }
}

/** Tries for the run's end: the statement may fail once (a dropped connection) without failing the run. */
const END_RETRY_DELAYS_MS = [100, 500];

export class WorkflowEngine {
  readonly #store: RunStore;
  readonly #instanceId: string;
  readonly #concurrency: number;
  readonly #leaseMs: number;
  readonly #log: EngineLogger;
  readonly #now: () => number;
  readonly #onProgress: ((s: ProgressSnapshot) => void) | undefined;
  readonly #onSlowRun: ((s: SlowRun) => void) | undefined;
  readonly #onRunInterrupted: WorkflowEngineOptions["onRunInterrupted"];
  readonly #registry = new Map<string, Registered>();
  readonly #runs = new Map<string, Execution>();
  readonly #slowRuns = new Map<string, number>();
  #active = 0;
  readonly #waiters: Array<() => void> = [];
  #renewTimer: NodeJS.Timeout | undefined;
  #recoveryTimer: NodeJS.Timeout | undefined;
  /** A recovery pass (finding expired runs) is under way: the next tick skips rather than piling up. */
  #recovering = false;
  /** Runs this engine is claiming right now (a second recovery pass leaves them alone). */
  readonly #claiming = new Set<string>();

  constructor(options: WorkflowEngineOptions) {
    this.#store = options.store;
    this.#instanceId = options.instanceId;
    this.#concurrency = options.concurrency ?? 8;
    this.#leaseMs = options.leaseMs ?? 30_000;
    this.#log = options.logger;
    this.#now = options.now ?? Date.now;
    this.#onProgress = options.onProgress;
    this.#onSlowRun = options.onSlowRun;
    this.#onRunInterrupted = options.onRunInterrupted;
    if (!(this.#concurrency >= 1)) throw new TypeError("concurrency must be at least 1");
    if (!(this.#leaseMs >= 100)) throw new TypeError("leaseMs must be at least 100");
  }

  get instanceId(): string {
    return this.#instanceId;
  }

  /** Validates the graph (a WorkflowGraphError if wrong) and makes the type startable. */
  register<I>(spec: WorkflowSpec<I>, options: RegisterOptions): void {
    const order = validateWorkflow(spec as WorkflowSpec);
    this.#registry.set(spec.type, {
      spec: spec as WorkflowSpec,
      resumable: options.resumable,
      answersRequest: options.answersRequest === true,
      order,
      byName: new Map(order.map((t) => [t.name, t])),
    });
  }

  /** Slow runs counted so far, by workflow type. */
  slowRunCount(type: string): number {
    return this.#slowRuns.get(type) ?? 0;
  }

  /** Runs this engine is executing now. */
  get activeRuns(): number {
    return this.#runs.size;
  }

  /**
   * Runs a workflow; resolves once its end is durably recorded (so a caller that posts the result after
   * this and then crashes does not have the run taken up again). Rejects when the run could not be
   * recorded at all, or its end could not be: then nothing is to be posted (recovery settles the run
   * once its lease runs out).
   *
   * The run's insert is not awaited before its first tasks start: it is the journal's first batch, so it
   * lands before anything else of the run, and before any side-effecting task acts (such a task waits for
   * its own start, which is written after the insert). A read-only task may run meanwhile; if the process
   * dies before the insert lands, nothing of the run is recorded and nothing outside was changed. If the
   * insert fails, the run is stopped and `start()` rejects with the database's error.
   */
  async start(type: string, input: unknown, context: WorkflowContext = {}, options: StartOptions = {}): Promise<WorkflowResult> {
    const reg = this.#registry.get(type);
    if (!reg) throw new UnknownWorkflowError(type);
    const runId = randomUUID();
    const startedAt = this.#now();
    const ex = new Execution(runId, reg, input, startedAt, options.onProgress);
    this.#attachJournal(ex, {
      id: runId,
      type,
      input,
      teamId: context.teamId,
      channelId: context.channelId,
      threadTs: context.threadTs,
      owner: this.#instanceId,
      leaseUntil: new Date(startedAt + this.#leaseMs),
      startedAt: new Date(startedAt),
      tasks: reg.order.map((t) => ({ name: t.name, critical: isCritical(t), idempotencyKey: `${runId}:${t.name}` })),
    });
    return this.#execute(ex);
  }

  #attachJournal(ex: Execution, create: NewRun | undefined): void {
    ex.journal = new RunJournal(this.#store, ex.runId, this.#instanceId, create, {
      lost: () => this.#lose(ex),
      insertFailed: () => this.#stopRun(ex, "the run could not be recorded"),
      log: this.#log,
    });
  }

  /**
   * Recovery now and every `intervalMs` after (recoverExpired, without waiting for the runs it resumes):
   * after a crash the dead owner's leases stay valid for up to leaseMs, so a restarted instance finds
   * nothing at first and must look again. The timer does not keep the process alive; close() stops it.
   * Errors are logged, never thrown.
   */
  startRecovery(intervalMs: number): void {
    if (!(intervalMs >= 10)) throw new TypeError("intervalMs must be at least 10");
    if (this.#recoveryTimer) clearInterval(this.#recoveryTimer);
    this.#recoveryTimer = setInterval(() => void this.#recoveryPass(), intervalMs);
    this.#recoveryTimer.unref();
    void this.#recoveryPass();
  }

  async #recoveryPass(): Promise<void> {
    if (this.#recovering) return;
    this.#recovering = true;
    try {
      const ids = await this.#store.findExpired(new Date(this.#now()));
      // Not awaited: a resumed run may take long, and the next pass must not wait for it (it skips the
      // run: its lease is this engine's now, and renewed).
      for (const id of ids) {
        this.resumeOrFail(id).catch((err: unknown) => this.#log.error({ err, runId: id }, "could not recover workflow run"));
      }
    } catch (err) {
      this.#log.error({ err }, "could not look for interrupted workflow runs");
    } finally {
      this.#recovering = false;
    }
  }

  /**
   * Takes over every run whose lease expired (its owner died) and resumes or fails it; waits for the
   * resumed runs to finish. Returns how many runs were taken over.
   */
  async recoverExpired(): Promise<number> {
    const ids = await this.#store.findExpired(new Date(this.#now()));
    const results = await Promise.allSettled(ids.map((id) => this.resumeOrFail(id)));
    let taken = 0;
    for (const [i, r] of results.entries()) {
      if (r.status === "fulfilled" && r.value) taken++;
      if (r.status === "rejected") this.#log.error({ err: r.reason, runId: ids[i] }, "could not recover workflow run");
    }
    return taken;
  }

  /**
   * A run whose lease expired: resumed from its finished tasks when its type is registered as resumable,
   * else failed "interrupted". Undefined when the run is not expired (another instance holds or took it).
   */
  async resumeOrFail(runId: string): Promise<WorkflowResult | undefined> {
    if (this.#runs.has(runId) || this.#claiming.has(runId)) return undefined;
    const now = this.#now();
    this.#claiming.add(runId);
    let stored: StoredRun | undefined;
    try {
      stored = await this.#store.claim(runId, this.#instanceId, new Date(now), new Date(now + this.#leaseMs));
    } finally {
      this.#claiming.delete(runId);
    }
    if (!stored) return undefined;
    const reg = this.#registry.get(stored.type);
    const sameTasks = reg !== undefined && stored.tasks.length === reg.order.length && stored.tasks.every((t) => reg.byName.has(t.name));
    if (!reg || !reg.resumable || !sameTasks) {
      const why = !reg ? "type not registered" : !reg.resumable ? "not resumable" : "its tasks changed";
      this.#log.warn({ runId, type: stored.type, why }, "workflow run interrupted; marked failed");
      return this.#failInterrupted(stored, now);
    }
    this.#log.info({ runId, type: stored.type }, "resuming interrupted workflow run");
    const ex = new Execution(runId, reg, stored.input, now, undefined);
    this.#attachJournal(ex, undefined);
    for (const t of stored.tasks) {
      ex.attempts.set(t.name, t.attempt);
      if (t.status === "succeeded") {
        ex.states.set(t.name, "succeeded");
        ex.outputs.set(t.name, t.output ?? undefined);
      } else if (t.status === "failed") {
        ex.states.set(t.name, "failed");
        ex.failures.push({ task: t.name, error: t.error ?? "failed", critical: t.critical });
      }
      // running (started, never finished), pending and cancelled (skipped) are planned again.
    }
    const criticalFailure = ex.failures.find((f) => f.critical);
    if (criticalFailure) ex.stopReason = `critical task ${criticalFailure.task} failed`;
    return this.#execute(ex);
  }

  /**
   * Stops renewing leases and looking for interrupted runs (runs in progress keep going; if this process
   * ends, their leases run out).
   */
  close(): void {
    this.#stopRenewal();
    if (this.#recoveryTimer) clearInterval(this.#recoveryTimer);
    this.#recoveryTimer = undefined;
  }

  #stopRenewal(): void {
    if (this.#renewTimer) clearInterval(this.#renewTimer);
    this.#renewTimer = undefined;
  }

  /** One statement: started tasks failed, tasks not started cancelled, the run failed "interrupted"; then the hook. */
  async #failInterrupted(stored: StoredRun, now: number): Promise<WorkflowResult | undefined> {
    const at = new Date(now);
    const tasks: RunWrite["tasks"] = [];
    for (const t of stored.tasks) {
      if (t.status === "running") tasks.push({ name: t.name, patch: { status: "failed", error: "interrupted", finishedAt: at } });
      if (t.status === "pending") tasks.push({ name: t.name, patch: { status: "cancelled", error: "interrupted", finishedAt: at } });
    }
    const failures: TaskFailure[] = stored.tasks
      .filter((t) => t.status === "failed" || t.status === "running")
      .map((t) => ({ task: t.name, error: t.status === "running" ? "interrupted" : (t.error ?? "failed"), critical: t.critical }));
    const skipped = stored.tasks.filter((t) => t.status === "pending" || t.status === "cancelled").map((t) => t.name);
    const owned = await this.#store.write({
      runId: stored.id,
      owner: this.#instanceId,
      tasks,
      finish: { status: "failed", error: "interrupted", finishedAt: at, result: { status: "failed", failures, skipped } },
    });
    if (!owned) return undefined; // taken over again meanwhile (this instance stalled past the lease it just took)
    if (this.#onRunInterrupted && !this.#registry.get(stored.type)?.answersRequest) {
      const context: WorkflowContext = {};
      if (stored.teamId !== null) context.teamId = stored.teamId;
      if (stored.channelId !== null) context.channelId = stored.channelId;
      if (stored.threadTs !== null) context.threadTs = stored.threadTs;
      try {
        await this.#onRunInterrupted({ runId: stored.id, type: stored.type, context });
      } catch (err) {
        this.#log.warn({ err, runId: stored.id }, "onRunInterrupted hook threw");
      }
    }
    const outputs = Object.fromEntries(stored.tasks.filter((t) => t.status === "succeeded").map((t) => [t.name, t.output]));
    return { runId: stored.id, status: "failed", outputs, failures, causes: {}, skipped, durationMs: 0 };
  }

  async #execute(ex: Execution): Promise<WorkflowResult> {
    this.#runs.set(ex.runId, ex);
    this.#ensureRenewal();
    try {
      if (ex.stopReason) this.#stopRun(ex, ex.stopReason);
      this.#emit(ex);
      const inflight = new Set<Promise<void>>();
      for (;;) {
        for (const launch of this.#schedule(ex)) {
          const p: Promise<void> = launch.finally(() => inflight.delete(p));
          inflight.add(p);
        }
        if (inflight.size === 0) break;
        await Promise.race(inflight);
      }
      return await this.#finish(ex);
    } finally {
      this.#runs.delete(ex.runId);
      if (this.#runs.size === 0) this.#stopRenewal();
    }
  }

  /** Skips tasks whose required dependencies failed; launches tasks whose dependencies are done. */
  #schedule(ex: Execution): Array<Promise<void>> {
    const launches: Array<Promise<void>> = [];
    if (ex.stop.signal.aborted) return launches;
    const skippedNow: string[] = [];
    for (const task of ex.reg.order) {
      if (ex.states.get(task.name) !== "pending") continue;
      const required = task.dependsOn ?? [];
      const blocked = required.find((d) => {
        const s = ex.states.get(d);
        return s === "failed" || s === "skipped" || s === "cancelled";
      });
      if (blocked) {
        ex.states.set(task.name, "skipped");
        skippedNow.push(task.name);
        continue;
      }
      const ready =
        required.every((d) => ex.states.get(d) === "succeeded") &&
        (task.optionalDeps ?? []).every((d) => ["succeeded", "failed", "skipped", "cancelled"].includes(ex.states.get(d)!));
      if (ready) {
        ex.states.set(task.name, "queued");
        launches.push(this.#runTask(ex, task));
      }
    }
    if (skippedNow.length > 0) {
      // Order is topological, so a skip cascades within this one pass.
      this.#record(ex, skippedNow, { status: "cancelled", error: "skipped: a dependency failed", finishedAt: new Date(this.#now()) });
      this.#emit(ex);
    }
    return launches;
  }

  async #runTask(ex: Execution, task: TaskSpec): Promise<void> {
    if (!(await this.#acquire(ex.stop.signal))) return;
    try {
      if (ex.states.get(task.name) !== "queued") return;
      const attempt = (ex.attempts.get(task.name) ?? 0) + 1;
      ex.attempts.set(task.name, attempt);
      ex.states.set(task.name, "running");
      this.#emit(ex);
      const started = ex.journal.tasks([task.name], { status: "running", attempt, startedAt: new Date(this.#now()), error: null }, task.sideEffects === true);
      if (task.sideEffects) {
        // Recorded before the task acts, so a crash after this point is seen as an attempt that started.
        try {
          if (!(await started)) return; // lost: the journal stopped the run
        } catch (err) {
          this.#log.warn({ err, runId: ex.runId, task: task.name }, "could not record a task's start; not running it");
          if (ex.states.get(task.name) !== "running") return;
          this.#taskFailed(ex, task, err);
          this.#record(ex, [task.name], { status: "failed", error: errorText(err), finishedAt: new Date(this.#now()) });
          return;
        }
      } else {
        started.catch(() => undefined); // logged by the journal; a lost run is stopped by it
      }
      if (ex.states.get(task.name) !== "running") return; // the run stopped meanwhile

      const controller = new AbortController();
      ex.controllers.set(task.name, controller);
      const timer =
        task.timeoutMs !== undefined ? setTimeout(() => controller.abort(new TaskTimeoutError(task.name, task.timeoutMs!)), task.timeoutMs) : undefined;
      const inputs: Record<string, unknown> = {};
      for (const dep of allDeps(task)) if (ex.outputs.has(dep)) inputs[dep] = ex.outputs.get(dep);
      let outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
      try {
        const value = await abortable(
          invoke(task, {
            input: ex.input,
            inputs,
            signal: controller.signal,
            attempt,
            idempotencyKey: `${ex.runId}:${task.name}`,
            progress: (label) => {
              if (ex.states.get(task.name) !== "running") return;
              ex.labels.set(task.name, label);
              this.#emit(ex);
            },
          }),
          controller.signal,
        );
        outcome = { ok: true, value };
      } catch (error) {
        outcome = { ok: false, error };
      } finally {
        if (timer) clearTimeout(timer);
        ex.controllers.delete(task.name);
      }
      // Cancelled by the run's stop (already recorded), or taken over: nothing more to write.
      if (ex.states.get(task.name) !== "running") return;
      // Recorded in the background: the run's end waits for it, its dependents need not.
      if (outcome.ok) {
        const json = storable(outcome.value);
        if (!json.ok) this.#log.warn({ err: json.error, runId: ex.runId, task: task.name }, "task output is not JSON; recorded without it");
        ex.states.set(task.name, "succeeded");
        ex.outputs.set(task.name, outcome.value);
        ex.labels.delete(task.name);
        this.#emit(ex);
        this.#record(ex, [task.name], { status: "succeeded", output: json.ok ? outcome.value : undefined, finishedAt: new Date(this.#now()) });
      } else {
        this.#taskFailed(ex, task, outcome.error);
        this.#record(ex, [task.name], { status: "failed", error: errorText(outcome.error), finishedAt: new Date(this.#now()) });
      }
    } finally {
      this.#release();
    }
  }

  #taskFailed(ex: Execution, task: TaskSpec, error: unknown): void {
    ex.states.set(task.name, "failed");
    ex.labels.delete(task.name);
    const critical = isCritical(task);
    ex.failures.push({ task: task.name, error: errorText(error), critical });
    ex.causes.set(task.name, error);
    this.#log.warn({ runId: ex.runId, type: ex.reg.spec.type, task: task.name, critical, err: error }, "workflow task failed");
    if (critical) this.#stopRun(ex, `critical task ${task.name} failed`);
    else this.#emit(ex);
  }

  /** A critical failure: tasks not started are cancelled, running ones aborted and cancelled. */
  #stopRun(ex: Execution, reason: string): void {
    if (ex.stop.signal.aborted) return;
    ex.stopReason = reason;
    const cancelled: string[] = [];
    for (const [name, state] of ex.states) {
      if (state === "pending" || state === "queued" || state === "running") {
        ex.states.set(name, "cancelled");
        cancelled.push(name);
      }
    }
    ex.stop.abort(new RunCancelledError(reason));
    for (const [name, controller] of ex.controllers) if (!controller.signal.aborted) controller.abort(new RunCancelledError(`${name}: ${reason}`));
    this.#record(ex, cancelled, { status: "cancelled", error: `cancelled: ${reason}`, finishedAt: new Date(this.#now()) });
    this.#emit(ex);
  }

  /** Another instance owns the run now: stop without writing. */
  #lose(ex: Execution): void {
    if (ex.lost) return;
    ex.lost = true;
    this.#log.warn({ runId: ex.runId, type: ex.reg.spec.type }, "workflow run taken over by another instance; stopping here");
    this.#stopRun(ex, "lease lost");
  }

  /** A transition written behind the run (the journal logs a failed write and stops a lost run). */
  #record(ex: Execution, names: string[], patch: TaskPatch): void {
    if (ex.lost || ex.journal.failed || names.length === 0) return;
    ex.journal.tasks(names, patch).catch(() => undefined);
  }

  #outcome(ex: Execution, end: number): WorkflowResult {
    const outputs = Object.fromEntries(ex.outputs);
    const skipped = [...ex.states].filter(([, s]) => s === "skipped" || s === "cancelled").map(([n]) => n);
    const criticalMissed = ex.reg.order.some((t) => isCritical(t) && ex.states.get(t.name) !== "succeeded");
    const status: WorkflowResult["status"] =
      ex.stopReason !== undefined || criticalMissed ? "failed" : ex.failures.length > 0 || skipped.length > 0 ? "partial" : "succeeded";
    return { runId: ex.runId, status, outputs, failures: [...ex.failures], causes: Object.fromEntries(ex.causes), skipped, durationMs: end - ex.startedAt };
  }

  async #finish(ex: Execution): Promise<WorkflowResult> {
    const end = this.#now();
    let result = this.#outcome(ex, end);
    if (ex.journal.failed) throw ex.journal.failed.error;
    if (!ex.lost) {
      ex.ending = true;
      const finish: RunFinish = {
        status: result.status === "failed" ? "failed" : "succeeded",
        error: result.status === "failed" ? (ex.stopReason ?? "a critical task did not run") : null,
        finishedAt: new Date(end),
        // Outputs live on the task rows; the run keeps the outcome.
        result: { status: result.status, failures: result.failures, skipped: result.skipped },
      };
      // The end goes with every transition still waiting, in one statement; the caller posts after it.
      for (let attempt = 0; ; attempt++) {
        try {
          await ex.journal.end(finish);
          break;
        } catch (err) {
          const failure = ex.journal.failure();
          if (failure) throw failure.error;
          const delay = END_RETRY_DELAYS_MS[attempt];
          if (delay === undefined) {
            this.#log.error({ err, runId: ex.runId }, "could not record a workflow run's end; recovery will settle it once its lease runs out");
            throw err;
          }
          await new Promise((r) => setTimeout(r, delay));
        }
      }
      if (ex.lost) result = this.#outcome(ex, end); // taken over: stopped as "lease lost", nothing written
    }
    const { type, thresholdMs } = ex.reg.spec;
    const { durationMs } = result;
    if (durationMs > thresholdMs) {
      this.#slowRuns.set(type, (this.#slowRuns.get(type) ?? 0) + 1);
      this.#log.warn({ runId: ex.runId, type, durationMs, thresholdMs }, "workflow run slower than its threshold");
      try {
        this.#onSlowRun?.({ runId: ex.runId, type, durationMs, thresholdMs });
      } catch (err) {
        this.#log.warn({ err }, "onSlowRun hook threw");
      }
    }
    return result;
  }

  #emit(ex: Execution): void {
    if (!this.#onProgress && !ex.onProgress) return;
    const snapshot: ProgressSnapshot = {
      runId: ex.runId,
      type: ex.reg.spec.type,
      tasks: ex.reg.order.map((t) => {
        const s = ex.states.get(t.name)!;
        const label = ex.labels.get(t.name);
        return { name: t.name, status: s === "queued" ? "pending" : s, ...(label !== undefined ? { label } : {}) };
      }),
    };
    for (const hook of [this.#onProgress, ex.onProgress]) {
      try {
        hook?.(snapshot);
      } catch (err) {
        this.#log.warn({ err }, "onProgress hook threw");
      }
    }
  }

  #ensureRenewal(): void {
    if (this.#renewTimer) return;
    this.#renewTimer = setInterval(() => void this.#renew(), Math.max(50, Math.floor(this.#leaseMs / 3)));
    this.#renewTimer.unref();
  }

  /** One statement renews every lease this engine holds; a run taken over meanwhile is stopped here. */
  async #renew(): Promise<void> {
    // A run not yet inserted has no lease to renew; one whose end is being written has none to keep.
    const ids = [...this.#runs.values()].filter((ex) => ex.journal.recorded && !ex.ending && !ex.lost).map((ex) => ex.runId);
    if (ids.length === 0) return;
    try {
      const held = new Set(await this.#store.renewLeases(this.#instanceId, ids, new Date(this.#now() + this.#leaseMs)));
      for (const id of ids) {
        const ex = this.#runs.get(id);
        if (ex && !ex.ending && !held.has(id)) this.#lose(ex);
      }
    } catch (err) {
      this.#log.warn({ err, count: ids.length }, "could not renew workflow leases");
    }
  }

  /** Waits for a task slot; false when the run stopped first. */
  #acquire(stop: AbortSignal): Promise<boolean> {
    if (stop.aborted) return Promise.resolve(false);
    if (this.#active < this.#concurrency) {
      this.#active++;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const grant = (): void => {
        stop.removeEventListener("abort", onAbort);
        this.#active++;
        resolve(true);
      };
      const onAbort = (): void => {
        const i = this.#waiters.indexOf(grant);
        if (i >= 0) this.#waiters.splice(i, 1);
        resolve(false);
      };
      stop.addEventListener("abort", onAbort, { once: true });
      this.#waiters.push(grant);
    });
  }

  #release(): void {
    this.#active--;
    this.#waiters.shift()?.();
  }
}

function invoke<I>(task: TaskSpec<I>, ctx: TaskContext<I>): Promise<unknown> {
  try {
    return Promise.resolve(task.run(ctx));
  } catch (err) {
    return Promise.reject(err);
  }
}

/** The task's promise, or its signal's reason as soon as it fires (a task that ignores its signal is not waited for). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}
