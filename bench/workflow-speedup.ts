// What running a workflow's independent tasks through the engine buys: 10 tasks of 100 ms each, in parallel
// through the engine (every run and transition recorded on an in-memory PGlite) versus awaited in sequence,
// and the engine's own cost per task (10 no-op tasks). Not run by the tests: `node --import tsx bench/workflow-speedup.ts`.
//
// How it measures, and why: one run of each is one sample of a noisy machine (a timer fires late, a GC
// or another process lands in it), and the first run of a process also pays for compiling Prisma's and
// PGlite's statements, which a long-running Piper pays once. So each figure is the median of RUNS runs
// after one warm-up run of each kind. Parallel and sequential are measured the same way and interleaved
// (parallel, sequential, parallel, …), so a slow patch of the machine hits both; the speedup is the ratio
// of the two medians. The overhead is the median no-op run divided by the number of tasks: everything
// the engine does for a task that does nothing, its run's insert and end included.
import { pathToFileURL } from "node:url";
import { openDatabase, type Database } from "../src/db/index.js";
import { createLogger } from "../src/logger.js";
import { WorkflowEngine } from "../src/workflows/engine.js";
import { PrismaRunStore } from "../src/workflows/run-store.js";
import type { TaskSpec } from "../src/workflows/types.js";
import { median } from "./stats.js";

export interface WorkflowSpeedup {
  parallelMs: number;
  sequentialMs: number;
  speedup: number;
  overheadMsPerTask: number;
}

/** Runs per figure (after one warm-up run). */
const RUNS = 5;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

export async function measureWorkflowSpeedup(tasks = 10, taskMs = 100, database?: Database): Promise<WorkflowSpeedup> {
  const logger = createLogger({ level: "silent" });
  const db = database ?? (await openDatabase({ kind: "pglite", dataDir: ":memory:" }, logger));
  try {
    const engine = new WorkflowEngine({ store: new PrismaRunStore(db), instanceId: "bench", concurrency: tasks, logger });
    const names = Array.from({ length: tasks }, (_, i) => `t${i}`);
    const slow: TaskSpec[] = names.map((name) => ({ name, run: () => sleep(taskMs) }));
    const noop: TaskSpec[] = names.map((name) => ({ name, run: async () => undefined }));
    engine.register({ type: "bench-slow", thresholdMs: 60_000, tasks: slow }, { resumable: false });
    engine.register({ type: "bench-noop", thresholdMs: 60_000, tasks: noop }, { resumable: false });

    const parallel = async () => {
      const result = await engine.start("bench-slow", {});
      if (result.status !== "succeeded") throw new Error(`bench run ${result.status}`);
    };
    const sequential = async () => {
      for (const task of slow) await task.run({ input: {}, inputs: {}, signal: new AbortController().signal, attempt: 1, idempotencyKey: task.name, progress() {} });
    };
    const noops = async () => {
      const result = await engine.start("bench-noop", {});
      if (result.status !== "succeeded") throw new Error(`bench run ${result.status}`);
    };

    // Warm-up: one of each, not counted.
    await noops();
    await parallel();
    await sequential();

    const parallelRuns: number[] = [];
    const sequentialRuns: number[] = [];
    const noopRuns: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      parallelRuns.push(await timed(parallel));
      sequentialRuns.push(await timed(sequential));
      noopRuns.push(await timed(noops));
    }
    const parallelMs = median(parallelRuns);
    const sequentialMs = median(sequentialRuns);
    return { parallelMs, sequentialMs, speedup: sequentialMs / parallelMs, overheadMsPerTask: median(noopRuns) / tasks };
  } finally {
    if (!database) await db.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const figures = await measureWorkflowSpeedup();
  process.stdout.write(
    `parallel ${figures.parallelMs.toFixed(0)} ms, sequential ${figures.sequentialMs.toFixed(0)} ms (medians of ${RUNS}), ` +
      `speedup ${figures.speedup.toFixed(1)}x, engine overhead ${figures.overheadMsPerTask.toFixed(2)} ms/task\n`,
  );
}
