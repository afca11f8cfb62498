// The bench's own garbage collector, kept out of what it measures.
//
// The bench process is the load generator and every target's Slack emulator: it keeps each step's
// messages, calls and deliveries, and its heap grows over a run. A major GC of its heap pauses it for
// 7–11 ms with its concurrent markers busy beside it, and the replies that arrive meanwhile are timed when
// it resumes: in instrumented runs, the slowest 1 % of a round was often one ~100 ms cluster sitting on the
// bench's own major GC, not on anything the target did. So a step starts on a freshly collected heap (the
// bench runs with --expose-gc and room to grow, see package.json), and each step reports how long the bench
// paused for its own major GCs, so a figure skewed by the instrument says so.
import { PerformanceObserver, constants, performance, type PerformanceEntry } from "node:perf_hooks";

/** A full collection now, between steps, when the process was started with --expose-gc; false otherwise. */
export function collectDriverGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== "function") return false;
  gc();
  return true;
}

export interface DriverGcMeter {
  /** Stops watching; the bench's major-GC pauses since the start, in ms. */
  stop(): Promise<{ majorMs: number }>;
}

/** Watches this process's major GCs (the atomic pauses V8 reports) that start from now until `stop()`. */
export function watchDriverGc(): DriverGcMeter {
  const since = performance.now();
  let majorMs = 0;
  const count = (entries: PerformanceEntry[]) => {
    for (const entry of entries) {
      // Node delivers a GC's entry a task after it: the collection just before the watch began arrives after.
      if (entry.startTime < since) continue;
      if ((entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind !== constants.NODE_PERFORMANCE_GC_MAJOR) continue;
      majorMs += entry.duration;
    }
  };
  const observer = new PerformanceObserver((list) => count(list.getEntries()));
  observer.observe({ entryTypes: ["gc"] });
  return {
    async stop() {
      // GC entries reach the observer a task after the GC: let the last ones in before counting.
      await new Promise((resolve) => setImmediate(resolve));
      count(observer.takeRecords());
      observer.disconnect();
      return { majorMs };
    },
  };
}
