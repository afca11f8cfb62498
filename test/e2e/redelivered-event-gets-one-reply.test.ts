import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mentionEnvelope } from "../support/fixtures.js";
import { botReplies, startTestPiper, type TestPiper } from "../support/piper.js";

describe("Slack retries never produce a second reply", () => {
  let piper: TestPiper;
  beforeAll(async () => {
    piper = await startTestPiper();
  });
  afterAll(async () => piper?.close());

  /** A real message in #general to hang the hand-delivered mention on (plain text: Slack sends no app_mention). */
  async function messageTs(): Promise<string> {
    const slack = piper.slackLocal;
    return (await slack.postUserMessage({ channel: slack.channels.general, text: "help please" })).ts;
  }

  const mention = (eventId: string, ts: string) => mentionEnvelope(piper.slackLocal, eventId, ts);

  it("the same event delivered three times (with retry headers) is answered once", async () => {
    const slack = piper.slackLocal;
    const ts = await messageTs();
    const envelope = mention("Ev0RETRY000001", ts);
    const first = await slack.deliver(envelope);
    const second = await slack.deliver(envelope, { retryNum: 1, retryReason: "http_timeout" });
    const third = await slack.deliver(envelope, { retryNum: 2, retryReason: "http_timeout" });
    expect([first.status, second.status, third.status]).toEqual([200, 200, 200]);
    await slack.waitFor(() => botReplies(slack, slack.channels.general, ts).length > 0);
    await slack.waitFor(() => piper.slack.queue.pending === 0);
    expect(botReplies(slack, slack.channels.general, ts)).toHaveLength(1);
  });

  it("concurrent redeliveries race for one claim and still yield one reply", async () => {
    const slack = piper.slackLocal;
    const ts = await messageTs();
    const envelope = mention("Ev0RETRY000002", ts);
    const results = await Promise.all([0, 1, 2, 3].map((n) => slack.deliver(envelope, n === 0 ? {} : { retryNum: n, retryReason: "http_error" })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    await slack.waitFor(() => botReplies(slack, slack.channels.general, ts).length > 0);
    await slack.waitFor(() => piper.slack.queue.pending === 0);
    expect(botReplies(slack, slack.channels.general, ts)).toHaveLength(1);
  });

  it("a bad or stale signature gets 401 and is never processed", async () => {
    const slack = piper.slackLocal;
    const badTs = await messageTs();
    const staleTs = await messageTs();
    expect((await slack.deliver(mention("Ev0BADSIG00001", badTs), { signature: "bad" })).status).toBe(401);
    expect((await slack.deliver(mention("Ev0STALE000001", staleTs), { signature: "stale" })).status).toBe(401);
    // A good event sent afterwards is answered; the rejected ones, queued before it, would have been too.
    const goodTs = await messageTs();
    await slack.deliver(mention("Ev0GOOD0000001", goodTs));
    await slack.waitFor(() => botReplies(slack, slack.channels.general, goodTs).length === 1);
    await slack.waitFor(() => piper.slack.queue.pending === 0);
    expect(botReplies(slack, slack.channels.general, badTs)).toHaveLength(0);
    expect(botReplies(slack, slack.channels.general, staleTs)).toHaveLength(0);
    const rows = await piper.db.prisma.processedEvent.findMany({ where: { eventId: { in: ["Ev0BADSIG00001", "Ev0STALE000001"] } } });
    expect(rows).toHaveLength(0);
  });
});
