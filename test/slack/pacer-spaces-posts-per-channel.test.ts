import { describe, expect, it } from "vitest";
import { ChannelPacer } from "../../src/slack/pacer.js";

describe("ChannelPacer", () => {
  it("lets a burst through, then makes the next post in that channel wait for a token", async () => {
    let now = 0;
    const sleeps: number[] = [];
    let wake!: () => void;
    const sleep = (ms: number) => {
      sleeps.push(ms);
      return new Promise<void>((r) => (wake = r));
    };
    const pacer = new ChannelPacer({ intervalMs: 1_000, burst: 2 }, () => now, sleep);
    await pacer.wait("C1");
    await pacer.wait("C1");
    expect(sleeps).toEqual([]);
    let third = false;
    const pending = pacer.wait("C1").then(() => (third = true));
    await new Promise((r) => setTimeout(r, 5));
    expect(sleeps).toEqual([1_000]); // waits a full interval for the next token
    expect(third).toBe(false);
    now = 1_000;
    wake();
    await pending;
    expect(third).toBe(true);
  });

  it("does not make one channel wait for another", async () => {
    const now = 0;
    const pacer = new ChannelPacer({ intervalMs: 60_000, burst: 1 }, () => now);
    await pacer.wait("C1");
    let other = false;
    await pacer.wait("C2").then(() => (other = true));
    expect(other).toBe(true);
  });

  it("serves waiters of a channel in arrival order", async () => {
    let now = 0;
    const pacer = new ChannelPacer({ intervalMs: 10, burst: 1 }, () => now);
    const order: number[] = [];
    const all = [0, 1, 2, 3].map((i) => pacer.wait("C").then(() => order.push(i)));
    const ticker = setInterval(() => (now += 10), 2);
    await Promise.all(all);
    clearInterval(ticker);
    expect(order).toEqual([0, 1, 2, 3]);
  });
});
