// What running a workflow's independent tasks through the engine buys: 10 tasks of 100 ms each, in parallel
// through the engine (every run and transition recorded on an in-memory PGlite) versus awaited in sequence,
// and the engine's own cost per task (10 no-op tasks). Not run by the tests: `node --import tsx bench/workflow-speedup.ts`.
import { pathToFileURL } from "node:url";
import { openDatabase, type Database } from "../src/db/index.js";
import { createLogger } from "../src/logger.js";
import { WorkflowEngine } from "../src/workflows/engine.js";
import { PrismaRunStore } from "../src/workflows/run-store.js";
import type { TaskSpec } from "../src/workflows/types.js";

export interface WorkflowSpeedup {
  parallelMs: number;
  sequentialMs: number;
  speedup: number;
  overheadMsPerTask: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

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
    await engine.start("bench-noop", {}); // warm up Prisma's statements

    let t = performance.now();
    const result = await engine.start("bench-slow", {});
    const parallelMs = performance.now() - t;
    if (result.status !== "succeeded") throw new Error(`bench run ${result.status}`);

    t = performance.now();
    for (const task of slow) await task.run({ input: {}, inputs: {}, signal: new AbortController().signal, attempt: 1, idempotencyKey: task.name, progress() {} });
    const sequentialMs = performance.now() - t;

    t = performance.now();
    await engine.start("bench-noop", {});
    const overheadMsPerTask = (performance.now() - t) / tasks;

    return { parallelMs, sequentialMs, speedup: sequentialMs / parallelMs, overheadMsPerTask };
  } finally {
    if (!database) await db.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const figures = await measureWorkflowSpeedup();
  process.stdout.write(
    `parallel ${figures.parallelMs.toFixed(0)} ms, sequential ${figures.sequentialMs.toFixed(0)} ms, ` +
      `speedup ${figures.speedup.toFixed(1)}x, engine overhead ${figures.overheadMsPerTask.toFixed(2)} ms/task\n`,
  );
}
