import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reply, type Router } from "../../src/routing/router.js";
import { botReplies, startTestPiper, type TestPiper } from "../support/piper.js";

/** Echoes what it heard after a random pause, so later messages in a thread often finish first unless ordered. */
const jitteryEcho: Router = {
  activity: () => "echoing",
  async route(inbound) {
    await new Promise((r) => setTimeout(r, Math.random() * 40));
    return reply(`echo: ${inbound.text}`);
  },
};

describe("load: 50 mentions across 10 threads, sent at once", () => {
  let piper: TestPiper;
  beforeAll(async () => {
    piper = await startTestPiper({ router: () => jitteryEcho });
  });
  afterAll(async () => piper?.close());

  it("gets 50 replies, each thread's in the order its messages were sent", async () => {
    const slack = piper.slackLocal;
    const channels = [slack.channels.general, slack.channels.random, slack.channels.mobile];
    const threads = await Promise.all(
      Array.from({ length: 10 }, async (_, t) => {
        const channel = channels[t % channels.length]!;
        const root = await slack.postUserMessage({ channel, text: `thread ${t} starts` });
        return { channel, ts: root.ts, t };
      }),
    );
    // Messages of one thread are sent in order (as one person typing); threads are sent all at once.
    await Promise.all(
      threads.map(async ({ channel, ts, t }) => {
        for (let m = 0; m < 5; m++) {
          const { eventIds } = await slack.postUserMessage({ channel, threadTs: ts, text: `<@${piper.botUserId}> t${t} m${m}` });
          // The next message goes out once Piper has acknowledged this one. On a busy machine an ack can
          // miss the emulator's 3 s deadline (then Slack retries, and makes no promise of order), so
          // "sent in order" means "acknowledged in order" — the order Piper can see and must keep.
          await slack.waitFor(() => eventIds.every((id) => slack.deliveries.some((d) => d.eventId === id && d.status === 200)), { timeoutMs: 60_000 });
        }
      }),
    );
    await slack.waitFor(() => threads.every(({ channel, ts }) => botReplies(slack, channel, ts).length >= 5), { timeoutMs: 30_000 });
    await slack.waitFor(() => piper.slack.queue.pending === 0);
    let total = 0;
    for (const { channel, ts, t } of threads) {
      const texts = botReplies(slack, channel, ts).map((m) => m.text);
      total += texts.length;
      expect(texts).toEqual([0, 1, 2, 3, 4].map((m) => `echo: t${t} m${m}`));
    }
    expect(total).toBe(50);
  });
});
