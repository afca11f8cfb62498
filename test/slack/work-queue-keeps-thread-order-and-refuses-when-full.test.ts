import { describe, expect, it } from "vitest";
import { QueueFullError, ThreadOrderedQueue } from "../../src/slack/work-queue.js";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("ThreadOrderedQueue", () => {
  it("runs jobs of one thread in arrival order, even when earlier ones are slower", async () => {
    const queue = new ThreadOrderedQueue({ concurrency: 4, maxPending: 100 });
    const done: number[] = [];
    for (let i = 0; i < 5; i++) {
      queue.enqueue("C1:1", async () => {
        await new Promise((r) => setTimeout(r, (5 - i) * 3));
        done.push(i);
      });
    }
    await queue.onIdle();
    expect(done).toEqual([0, 1, 2, 3, 4]);
  });

  it("runs different threads concurrently, up to the concurrency bound", async () => {
    const queue = new ThreadOrderedQueue({ concurrency: 2, maxPending: 100 });
    let running = 0;
    let peak = 0;
    const gate = deferred();
    for (let i = 0; i < 6; i++) {
      queue.enqueue(`C1:${i}`, async () => {
        running++;
        peak = Math.max(peak, running);
        await gate.promise;
        running--;
      });
    }
    await new Promise((r) => setTimeout(r, 10));
    expect(running).toBe(2);
    gate.resolve();
    await queue.onIdle();
    expect(peak).toBe(2);
  });

  it("a slow thread holds at most one slot, so other threads are not starved", async () => {
    const queue = new ThreadOrderedQueue({ concurrency: 2, maxPending: 100 });
    const slow = deferred();
    const finished: string[] = [];
    for (let i = 0; i < 3; i++) queue.enqueue("slow", () => slow.promise.then(() => void finished.push(`slow${i}`)));
    for (let i = 0; i < 3; i++) queue.enqueue(`fast${i}`, async () => void finished.push(`fast${i}`));
    await new Promise((r) => setTimeout(r, 10));
    expect(finished).toEqual(["fast0", "fast1", "fast2"]);
    slow.resolve();
    await queue.onIdle();
    expect(finished.slice(3)).toEqual(["slow0", "slow1", "slow2"]);
  });

  it("refuses new work with a user-facing sentence when full, and accepts again after draining", async () => {
    const queue = new ThreadOrderedQueue({ concurrency: 1, maxPending: 2 });
    const gate = deferred();
    queue.enqueue("a", () => gate.promise);
    queue.enqueue("b", () => gate.promise);
    let refused: unknown;
    try {
      queue.enqueue("c", async () => undefined);
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(QueueFullError);
    expect((refused as QueueFullError).userMessage).toBe("I'm busy — try again in a minute.");
    gate.resolve();
    await queue.onIdle();
    expect(queue.pending).toBe(0);
    let ran = false;
    queue.enqueue("c", async () => void (ran = true));
    await queue.onIdle();
    expect(ran).toBe(true);
  });

  it("a job that throws does not stall its thread", async () => {
    const queue = new ThreadOrderedQueue({ concurrency: 1, maxPending: 10 });
    let second = false;
    queue.enqueue("t", async () => {
      throw new Error("boom");
    });
    queue.enqueue("t", async () => void (second = true));
    await queue.onIdle();
    expect(second).toBe(true);
  });

  it("rejects nonsensical options up front", () => {
    expect(() => new ThreadOrderedQueue({ concurrency: 0, maxPending: 1 })).toThrow(TypeError);
    expect(() => new ThreadOrderedQueue({ concurrency: 1, maxPending: 0 })).toThrow(TypeError);
  });
});

describe("ThreadOrderedQueue slots", () => {
  it("a job that released its slot (waiting only on Slack's pacing) does not hold back other threads", async () => {
    const queue = new ThreadOrderedQueue({ concurrency: 1, maxPending: 10 });
    const pacing = deferred();
    const finished: string[] = [];
    queue.enqueue("busy-channel", async (slot) => {
      slot.release();
      await pacing.promise;
      finished.push("paced");
    });
    queue.enqueue("other-channel", async () => void finished.push("other"));
    await new Promise((r) => setTimeout(r, 10));
    expect(finished).toEqual(["other"]);
    pacing.resolve();
    await queue.onIdle();
    expect(finished).toEqual(["other", "paced"]);
  });

  it("a released job still holds its lane: the next message of that thread waits for it", async () => {
    const queue = new ThreadOrderedQueue({ concurrency: 2, maxPending: 10 });
    const pacing = deferred();
    const finished: string[] = [];
    queue.enqueue("t", async (slot) => {
      slot.release();
      await pacing.promise;
      finished.push("first");
    });
    queue.enqueue("t", async () => void finished.push("second"));
    await new Promise((r) => setTimeout(r, 10));
    expect(finished).toEqual([]);
    pacing.resolve();
    await queue.onIdle();
    expect(finished).toEqual(["first", "second"]);
  });

  it("reports a job that throws instead of swallowing it", async () => {
    const seen: Array<{ lane: string; message: string }> = [];
    const queue = new ThreadOrderedQueue({ concurrency: 1, maxPending: 10, onJobError: (err, lane) => seen.push({ lane, message: (err as Error).message }) });
    queue.enqueue("t", async () => {
      throw new Error("boom");
    });
    await queue.onIdle();
    expect(seen).toEqual([{ lane: "t", message: "boom" }]);
  });
});
