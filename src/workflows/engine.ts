// Runs workflows: independent tasks in parallel (bounded), a task once its dependencies are done, a failed
// critical task stops the run. Every run is recorded under a lease this instance renews, so a run whose
// process died is found by any instance and resumed from its finished tasks, or failed — never left running.
import { randomUUID } from "node:crypto";
import type { Logger } from "../logger.js";
import type { RunStore, StoredRun, TaskPatch } from "./run-store.js";
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
}

export interface StartOptions {
  /** Progress of this run only (besides the engine-wide hook). */
  onProgress?: (snapshot: ProgressSnapshot) => void;
}

interface Registered {
  spec: WorkflowSpec;
  resumable: boolean;
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

function errorText(err: unknown): string {
  if (err instanceof Error) return err.name && err.name !== "Error" ? `${err.name}: ${err.message}` : err.message;
  return String(err);
}

type InternalState = TaskState | "queued";

/** One run in this process. */
class Execution {
  readonly states = new Map<string, InternalState>();
  readonly labels = new Map<string, string>();
  readonly outputs = new Map<string, unknown>();
  readonly attempts = new Map<string, number>();
  readonly failures: TaskFailure[] = [];
  readonly controllers = new Map<string, AbortController>();
  /** Fires when the run stops, so tasks still waiting for a slot give up. */
  readonly stop = new AbortController();
  stopReason: string | undefined;
  /** Another instance took the run over: no more writes. */
  lost = false;
  /** Task starts asked for in this turn of the event loop, by attempt: recorded in one statement. */
  startBatch: Map<number, { names: string[]; done: Promise<boolean> }> | undefined;
  /** Task writes in flight; the run's end is recorded after them. */
  readonly writes = new Set<Promise<void>>();

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

export class WorkflowEngine {
  readonly #store: RunStore;
  readonly #instanceId: string;
  readonly #concurrency: number;
  readonly #leaseMs: number;
  readonly #log: EngineLogger;
  readonly #now: () => number;
  readonly #onProgress: ((s: ProgressSnapshot) => void) | undefined;
  readonly #onSlowRun: ((s: SlowRun) => void) | undefined;
  readonly #registry = new Map<string, Registered>();
  readonly #runs = new Map<string, Execution>();
  readonly #slowRuns = new Map<string, number>();
  #active = 0;
  readonly #waiters: Array<() => void> = [];
  #renewTimer: NodeJS.Timeout | undefined;

  constructor(options: WorkflowEngineOptions) {
    this.#store = options.store;
    this.#instanceId = options.instanceId;
    this.#concurrency = options.concurrency ?? 8;
    this.#leaseMs = options.leaseMs ?? 30_000;
    this.#log = options.logger;
    this.#now = options.now ?? Date.now;
    this.#onProgress = options.onProgress;
    this.#onSlowRun = options.onSlowRun;
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

  async start(type: string, input: unknown, context: WorkflowContext = {}, options: StartOptions = {}): Promise<WorkflowResult> {
    const reg = this.#registry.get(type);
    if (!reg) throw new UnknownWorkflowError(type);
    const runId = randomUUID();
    const startedAt = this.#now();
    await this.#store.createRun({
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
    return this.#execute(new Execution(runId, reg, input, startedAt, options.onProgress));
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
    if (this.#runs.has(runId)) return undefined;
    const now = this.#now();
    const stored = await this.#store.claim(runId, this.#instanceId, new Date(now), new Date(now + this.#leaseMs));
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

  /** Stops renewing leases (runs in progress keep going; if this process ends, their leases run out). */
  close(): void {
    if (this.#renewTimer) clearInterval(this.#renewTimer);
    this.#renewTimer = undefined;
  }

  async #failInterrupted(stored: StoredRun, now: number): Promise<WorkflowResult> {
    const at = new Date(now);
    const started = stored.tasks.filter((t) => t.status === "running").map((t) => t.name);
    const notStarted = stored.tasks.filter((t) => t.status === "pending").map((t) => t.name);
    await this.#store.updateTasks(stored.id, this.#instanceId, started, { status: "failed", error: "interrupted", finishedAt: at });
    await this.#store.updateTasks(stored.id, this.#instanceId, notStarted, { status: "cancelled", error: "interrupted", finishedAt: at });
    const failures: TaskFailure[] = stored.tasks
      .filter((t) => t.status === "failed" || t.status === "running")
      .map((t) => ({ task: t.name, error: t.status === "running" ? "interrupted" : (t.error ?? "failed"), critical: t.critical }));
    const skipped = stored.tasks.filter((t) => t.status === "pending" || t.status === "cancelled").map((t) => t.name);
    await this.#store.finishRun(stored.id, this.#instanceId, {
      status: "failed",
      error: "interrupted",
      finishedAt: at,
      result: { status: "failed", failures, skipped },
    });
    const outputs = Object.fromEntries(stored.tasks.filter((t) => t.status === "succeeded").map((t) => [t.name, t.output]));
    return { runId: stored.id, status: "failed", outputs, failures, skipped, durationMs: 0 };
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
      while (ex.writes.size > 0) await Promise.all(ex.writes);
      return await this.#finish(ex);
    } finally {
      this.#runs.delete(ex.runId);
      if (this.#runs.size === 0) this.close();
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
      const write = this.#write(ex, skippedNow, { status: "cancelled", error: "skipped: a dependency failed", finishedAt: new Date(this.#now()) });
      launches.push(write);
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
      // Recorded before the task acts, so a crash after this point is seen as an attempt that started.
      const startedAt = new Date(this.#now());
      try {
        const owned = await this.#recordStart(ex, task.name, attempt, startedAt);
        if (!owned) {
          this.#lose(ex);
          return;
        }
      } catch (err) {
        this.#log.warn({ err, runId: ex.runId, task: task.name }, "could not record a task's start; not running it");
        this.#taskFailed(ex, task, err);
        return;
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
      if (outcome.ok) {
        ex.states.set(task.name, "succeeded");
        ex.outputs.set(task.name, outcome.value);
        ex.labels.delete(task.name);
        this.#emit(ex);
        await this.#write(ex, [task.name], { status: "succeeded", output: outcome.value, finishedAt: new Date(this.#now()) });
      } else {
        this.#taskFailed(ex, task, outcome.error);
        await this.#write(ex, [task.name], { status: "failed", error: errorText(outcome.error), finishedAt: new Date(this.#now()) });
      }
    } finally {
      this.#release();
    }
  }

  /** Tasks started in one turn of the event loop (a pass of the scheduler) share one UPDATE per attempt number. */
  #recordStart(ex: Execution, name: string, attempt: number, startedAt: Date): Promise<boolean> {
    let batch = ex.startBatch;
    if (!batch) {
      const fresh = new Map<number, { names: string[]; done: Promise<boolean> }>();
      batch = fresh;
      ex.startBatch = fresh;
      // setImmediate runs after every launch queued in this turn has added itself.
      const closed = new Promise<void>((r) => setImmediate(r)).then(() => {
        if (ex.startBatch === fresh) ex.startBatch = undefined;
      });
      batch.set(-1, { names: [], done: closed.then(() => true) });
    }
    let entry = batch.get(attempt);
    if (!entry) {
      const names: string[] = [];
      const closed = batch.get(-1)!.done;
      entry = { names, done: closed.then(() => this.#store.updateTasks(ex.runId, this.#instanceId, names, { status: "running", attempt, startedAt, error: null })) };
      batch.set(attempt, entry);
    }
    entry.names.push(name);
    return entry.done;
  }

  #taskFailed(ex: Execution, task: TaskSpec, error: unknown): void {
    ex.states.set(task.name, "failed");
    ex.labels.delete(task.name);
    const critical = isCritical(task);
    ex.failures.push({ task: task.name, error: errorText(error), critical });
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
    if (!ex.lost) void this.#write(ex, cancelled, { status: "cancelled", error: `cancelled: ${reason}`, finishedAt: new Date(this.#now()) });
    this.#emit(ex);
  }

  /** Another instance owns the run now: stop without writing. */
  #lose(ex: Execution): void {
    if (ex.lost) return;
    ex.lost = true;
    this.#log.warn({ runId: ex.runId, type: ex.reg.spec.type }, "workflow run taken over by another instance; stopping here");
    this.#stopRun(ex, "lease lost");
  }

  #write(ex: Execution, names: string[], patch: TaskPatch): Promise<void> {
    if (ex.lost || names.length === 0) return Promise.resolve();
    const p = this.#writeNow(ex, names, patch).finally(() => ex.writes.delete(p));
    ex.writes.add(p);
    return p;
  }

  async #writeNow(ex: Execution, names: string[], patch: TaskPatch): Promise<void> {
    try {
      const owned = await this.#store.updateTasks(ex.runId, this.#instanceId, names, patch);
      if (!owned) this.#lose(ex);
    } catch (err) {
      this.#log.warn({ err, runId: ex.runId, tasks: names }, "could not record a task transition");
    }
  }

  async #finish(ex: Execution): Promise<WorkflowResult> {
    const outputs = Object.fromEntries(ex.outputs);
    const skipped = [...ex.states].filter(([, s]) => s === "skipped" || s === "cancelled").map(([n]) => n);
    const criticalMissed = ex.reg.order.some((t) => isCritical(t) && ex.states.get(t.name) !== "succeeded");
    const status: WorkflowResult["status"] =
      ex.stopReason !== undefined || criticalMissed ? "failed" : ex.failures.length > 0 || skipped.length > 0 ? "partial" : "succeeded";
    const end = this.#now();
    const durationMs = end - ex.startedAt;
    const result: WorkflowResult = { runId: ex.runId, status, outputs, failures: [...ex.failures], skipped, durationMs };
    if (!ex.lost) {
      try {
        await this.#store.finishRun(ex.runId, this.#instanceId, {
          status: status === "failed" ? "failed" : "succeeded",
          error: status === "failed" ? (ex.stopReason ?? "a critical task did not run") : null,
          finishedAt: new Date(end),
          // Outputs live on the task rows; the run keeps the outcome.
          result: { status, failures: result.failures, skipped },
        });
      } catch (err) {
        this.#log.error({ err, runId: ex.runId }, "could not record a workflow run's end; recovery will settle it");
      }
    }
    const { type, thresholdMs } = ex.reg.spec;
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
    const ids = [...this.#runs.keys()];
    if (ids.length === 0) return;
    try {
      const held = new Set(await this.#store.renewLeases(this.#instanceId, ids, new Date(this.#now() + this.#leaseMs)));
      for (const id of ids) {
        const ex = this.#runs.get(id);
        if (ex && !held.has(id)) this.#lose(ex);
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
