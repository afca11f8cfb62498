// Workflows as procedures: a set of tasks with dependencies, run in parallel where independent.

/** What a task's `run` receives. */
export interface TaskContext<I = unknown> {
  /** The workflow's input (what `start` was given). */
  input: I;
  /** Outputs of this task's dependencies that succeeded, by task name. */
  inputs: Record<string, unknown>;
  /** Fires when the task times out or the run stops (a critical task failed); the reason says which. */
  signal: AbortSignal;
  /** 1 on the first attempt; a task resumed after its owner died mid-task gets the next number. */
  attempt: number;
  /** `${runId}:${taskName}`: the same on every attempt, so a side-effecting task can look before acting. */
  idempotencyKey: string;
  /** A short label shown in the run's progress (e.g. "reading 3 issues"). */
  progress(label: string): void;
}

export interface TaskSpec<I = unknown, O = unknown> {
  name: string;
  /** Tasks whose success this one needs; if one fails or is skipped, this one is skipped. */
  dependsOn?: string[];
  /**
   * Tasks this one waits for but can do without: it runs once they have finished, whatever their
   * outcome, and gets the outputs of those that succeeded. They need not be repeated in `dependsOn`.
   */
  optionalDeps?: string[];
  /** Default true: its failure stops the run. A non-critical failure is recorded and the run goes on. */
  critical?: boolean;
  /** Aborts the task (its signal fires with a TaskTimeoutError) and fails it after this long. */
  timeoutMs?: number;
  /**
   * Default false. True for a task that changes something outside the run (creates an issue, posts a
   * message): it is called only once its start (status `running`, its attempt number) is durably
   * recorded, so a crash after that point is seen as an attempt that started, and the next attempt
   * (`attempt` > 1, same `idempotencyKey`) can look for what the first one did before acting again.
   * A read-only task (false) starts at once and its start is recorded in the background: if the process
   * dies before that lands, the task is simply run again, which a read can afford.
   */
  sideEffects?: boolean;
  /** Its output is persisted as JSON (so a resumed run can hand it to dependents): keep it JSON-shaped. */
  run(ctx: TaskContext<I>): Promise<O>;
}

export interface WorkflowSpec<I = unknown> {
  type: string;
  /** A run slower than this is logged (warn) and reported through `onSlowRun`. */
  thresholdMs: number;
  tasks: Array<TaskSpec<I, unknown>>;
}

export interface RegisterOptions {
  /** Whether a run whose owner died may be resumed from its finished tasks; otherwise it is failed "interrupted". */
  resumable: boolean;
  /**
   * Its runs answer a durable Slack request, which is redelivered and answered again after a crash: an interrupted
   * run is then not announced in its thread (onRunInterrupted is not called), so the thread hears it once.
   */
  answersRequest?: boolean;
}

export interface WorkflowContext {
  teamId?: string;
  channelId?: string;
  threadTs?: string;
}

export interface TaskFailure {
  task: string;
  error: string;
  critical: boolean;
}

export interface WorkflowResult {
  runId: string;
  /** `partial`: no critical task failed, but some task failed or was skipped. */
  status: "succeeded" | "failed" | "partial";
  /** Outputs of the tasks that succeeded, by name. */
  outputs: Record<string, unknown>;
  failures: TaskFailure[];
  /**
   * The errors themselves of the tasks that failed in this process, by task (so a caller can tell a refusal from
   * an unknown outcome). Never persisted: a run resumed elsewhere knows its earlier failures by their text only.
   */
  causes: Record<string, unknown>;
  /** Tasks that never ran: a dependency failed, or the run stopped first. */
  skipped: string[];
  durationMs: number;
}

export type TaskState = "pending" | "running" | "succeeded" | "failed" | "skipped" | "cancelled";

export interface ProgressSnapshot {
  runId: string;
  type: string;
  tasks: Array<{ name: string; status: TaskState; label?: string }>;
}

export interface SlowRun {
  runId: string;
  type: string;
  durationMs: number;
  thresholdMs: number;
}

/** The graph is wrong (unknown dependency, cycle, duplicate name): nothing ran. */
export class WorkflowGraphError extends Error {
  override readonly name = "WorkflowGraphError";
  constructor(
    readonly workflowType: string,
    readonly problem: "unknown-dependency" | "cycle" | "duplicate-task" | "empty",
    message: string,
  ) {
    super(message);
  }
}

/** The reason a timed-out task's signal fires with, and its recorded error. */
export class TaskTimeoutError extends Error {
  override readonly name = "TimedOut";
  constructor(
    readonly task: string,
    readonly timeoutMs: number,
  ) {
    super(`task ${task} timed out after ${timeoutMs} ms`);
  }
}

/** The reason a running task's signal fires with when the run stops. */
export class RunCancelledError extends Error {
  override readonly name = "RunCancelled";
}

export class UnknownWorkflowError extends Error {
  override readonly name = "UnknownWorkflowError";
  constructor(readonly workflowType: string) {
    super(`no workflow of type ${workflowType} is registered`);
  }
}
