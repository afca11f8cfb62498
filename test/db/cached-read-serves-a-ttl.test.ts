// The router's project names are read once per TTL however many messages ask, and a failed read is not kept.
import { describe, expect, it } from "vitest";
import { cachedRead } from "../../src/db/cached-read.js";

describe("cachedRead", () => {
  it("shares one load among callers at once and within the TTL, then loads again", async () => {
    let now = 0;
    let loads = 0;
    const read = cachedRead(async () => ++loads, { ttlMs: 1_000, now: () => now });
    expect(await Promise.all([read(), read(), read()])).toEqual([1, 1, 1]);
    now = 999;
    expect(await read()).toBe(1);
    now = 1_000;
    expect(await read()).toBe(2);
    read.invalidate();
    expect(await read()).toBe(3);
    expect(loads).toBe(3);
  });

  it("does not keep a failure: the next caller loads again", async () => {
    let fail = true;
    const read = cachedRead(async () => {
      if (fail) throw new Error("database down");
      return ["web"];
    }, { ttlMs: 60_000 });
    await expect(read()).rejects.toThrow("database down");
    fail = false;
    expect(await read()).toEqual(["web"]);
  });
});
