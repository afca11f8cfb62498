import { PerformanceObserver } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, describe, expect, it } from "vitest";
import { collectDriverGarbage, watchDriverGc } from "../../bench/driver-gc.js";
import { npmScriptNodeFlags } from "../../bench/start-script.js";

// V8's real collector, as --expose-gc gives it to the bench: the flag makes new contexts carry `gc`.
setFlagsFromString("--expose-gc");
const realGc = runInNewContext("gc") as () => void;
const scope = globalThis as { gc?: () => void };

describe("the bench's own garbage collection", () => {
  afterEach(() => {
    delete scope.gc;
  });

  it("is done between steps when the bench can, and counted as a pause when it happens during one", async () => {
    scope.gc = realGc;
    const meter = watchDriverGc();
    expect(collectDriverGarbage()).toBe(true);
    const { majorMs } = await meter.stop();
    expect(majorMs).toBeGreaterThan(0);
  });

  it("does not count the collection made just before a step as a pause during it", async () => {
    // While anything observes GC (another watch, a profiler's preload), a collection's entry reaches the
    // observers a task after it — by then inside the watch that started right after it.
    const bystander = new PerformanceObserver(() => undefined);
    bystander.observe({ entryTypes: ["gc"] });
    try {
      scope.gc = realGc;
      expect(collectDriverGarbage()).toBe(true);
      const meter = watchDriverGc();
      await new Promise((resolve) => setImmediate(resolve));
      expect((await meter.stop()).majorMs).toBe(0);
    } finally {
      bystander.disconnect();
    }
  });

  it("collects nothing without --expose-gc (bench:profile), and says so", () => {
    expect(collectDriverGarbage()).toBe(false);
  });

  it("can collect when npm run bench starts it", () => {
    expect(npmScriptNodeFlags(fileURLToPath(new URL("../../package.json", import.meta.url)), "bench")).toContain("--expose-gc");
  });
});
