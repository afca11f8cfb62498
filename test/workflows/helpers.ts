// Shared by the workflow engine tests: a promise released by hand, and an engine on a test database.
import { createLogger } from "../../src/logger.js";
import { WorkflowEngine, type WorkflowEngineOptions } from "../../src/workflows/engine.js";
import { PrismaRunStore } from "../../src/workflows/run-store.js";
import type { TestDatabase } from "../support/database.js";

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(err: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Resolves when the signal fires, with its reason. */
export function aborted(signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(signal.reason);
    else signal.addEventListener("abort", () => resolve(signal.reason), { once: true });
  });
}

export const silent = createLogger({ level: "silent" });

/** Polls `check` until it holds; fails after `timeoutMs` (a bound for a busy machine, not a measurement). */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 30_000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function engineOn(db: TestDatabase, options: Partial<WorkflowEngineOptions> = {}): WorkflowEngine {
  return new WorkflowEngine({ store: new PrismaRunStore(db), instanceId: "test-instance", logger: silent, ...options });
}

export async function taskRows(db: Pick<TestDatabase, "prisma">, runId: string) {
  const rows = await db.prisma.taskRun.findMany({ where: { workflowRunId: runId } });
  return new Map(rows.map((r) => [r.name, r]));
}
