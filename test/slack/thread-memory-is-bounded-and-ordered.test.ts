import { describe, expect, it } from "vitest";
import { ThreadMemory } from "../../src/slack/thread-memory.js";

describe("ThreadMemory", () => {
  it("returns earlier messages oldest first, excluding the one being answered", () => {
    const memory = new ThreadMemory();
    memory.record("C:1", { ts: "3", fromPiper: false, text: "c" });
    memory.record("C:1", { ts: "1", fromPiper: false, text: "a" });
    memory.record("C:1", { ts: "2", fromPiper: true, text: "b" });
    expect(memory.recent("C:1", { before: "3" }).map((m) => m.text)).toEqual(["a", "b"]);
  });

  it("records a message once even if seen twice (mention and ambient events)", () => {
    const memory = new ThreadMemory();
    memory.record("C:1", { ts: "1", fromPiper: false, text: "a" });
    memory.record("C:1", { ts: "1", fromPiper: false, text: "a" });
    expect(memory.recent("C:1")).toHaveLength(1);
  });

  it("keeps only the newest messages per thread and forgets the least recently used thread", () => {
    const memory = new ThreadMemory({ maxThreads: 2, maxMessagesPerThread: 3 });
    for (let i = 1; i <= 5; i++) memory.record("A", { ts: String(i), fromPiper: false, text: `m${i}` });
    expect(memory.recent("A").map((m) => m.text)).toEqual(["m3", "m4", "m5"]);
    memory.record("B", { ts: "1", fromPiper: false, text: "b" });
    memory.record("A", { ts: "6", fromPiper: false, text: "m6" }); // A is now the most recent
    memory.record("C", { ts: "1", fromPiper: false, text: "c" });
    expect(memory.has("A")).toBe(true);
    expect(memory.has("B")).toBe(false);
    expect(memory.has("C")).toBe(true);
  });
});
