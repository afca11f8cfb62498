// Slack paces posts per channel; a burst in one channel waiting on that pace must not hold the slots another channel needs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { botReplies, startTestPiper, type TestPiper } from "../support/piper.js";

describe("per-channel pacing", () => {
  let piper: TestPiper;
  beforeAll(async () => {
    // One post every 1.5 s per channel after the first, and only two requests computing at once.
    piper = await startTestPiper({ pacing: { intervalMs: 1_500, burst: 1 } }, { PIPER_QUEUE_CONCURRENCY: "2" });
  });
  afterAll(async () => piper?.close());

  it("answers a mention in a quiet channel while a busy channel's replies wait for their turn", async () => {
    const slack = piper.slackLocal;
    const busy = slack.channels.general;
    const quiet = slack.channels.random;
    const burst = await Promise.all(Array.from({ length: 6 }, (_, i) => slack.postUserMessage({ channel: busy, text: `<@${piper.botUserId}> help ${i}` })));
    const other = await slack.postUserMessage({ channel: quiet, text: `<@${piper.botUserId}> help` });
    await slack.waitFor(() => botReplies(slack, quiet, other.ts).length === 1, { timeoutMs: 30_000 });
    // The busy channel posts one reply every 1.5 s; when the quiet channel got its answer, most of
    // the burst was still waiting on that pace — and that wait did not make the quiet channel wait.
    // (Before the fix, the burst's waits held both slots and the quiet answer came after ~5 of them.)
    const busyAnswered = burst.filter((m) => botReplies(slack, busy, m.ts).length > 0).length;
    expect(busyAnswered).toBeLessThan(4);
    await slack.waitFor(() => burst.every((m) => botReplies(slack, busy, m.ts).length === 1), { timeoutMs: 60_000 });
  });
});
