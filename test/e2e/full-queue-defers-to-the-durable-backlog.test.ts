// Overload must not start more work (a busy reply per overflow message is exactly that): the overflow waits, durably, and is answered once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reply, type Router } from "../../src/routing/router.js";
import { botReplies, startTestPiper, type TestPiper } from "../support/piper.js";

describe("a full work queue", () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const router: Router = {
    activity: () => "waiting",
    route: async (inbound) => {
      await gate;
      return reply(`done: ${inbound.text}`);
    },
  };
  let piper: TestPiper;
  beforeAll(async () => {
    piper = await startTestPiper({ router: () => router, progressAfterMs: 60_000 }, { PIPER_QUEUE_CONCURRENCY: "1", PIPER_QUEUE_MAX_PENDING: "2" });
  });
  afterAll(async () => piper?.close());

  it("answers the overflow once when there is room — no busy reply, nothing dropped", async () => {
    const slack = piper.slackLocal;
    const c = slack.channels.general;
    const a = await slack.postUserMessage({ channel: c, text: `<@${piper.botUserId}> one` });
    const b = await slack.postUserMessage({ channel: c, text: `<@${piper.botUserId}> two` });
    await slack.waitFor(() => piper.slack.queue.pending === 2);
    const overflow = await slack.postUserMessage({ channel: c, text: `<@${piper.botUserId}> three` });
    // The overflow was acked (Slack won't retry it) and recorded; it is answered later, not refused.
    const delivery = slack.deliveries.find((d) => overflow.eventIds.includes(d.eventId ?? "") && d.status === 200);
    expect(delivery).toBeDefined();
    expect(botReplies(slack, c, overflow.ts)).toHaveLength(0);
    release();
    await slack.waitFor(() => [a, b, overflow].every((m) => botReplies(slack, c, m.ts).length === 1), { timeoutMs: 20_000 });
    expect(botReplies(slack, c, a.ts)[0]!.text).toBe("done: one");
    expect(botReplies(slack, c, overflow.ts)[0]!.text).toBe("done: three");
    expect(slack.replies(c, overflow.ts).some((m) => m.text.includes("busy"))).toBe(false);
  });
});
