// A first delivery is answered while its durable record is written (the reply does not wait for the
// database); Slack's ack still waits for the record, and a redelivery waits for it before doing anything.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SqlExecutor } from "../../src/db/sql.js";
import { reply, type Router } from "../../src/routing/router.js";
import { mentionEnvelope } from "../support/fixtures.js";
import { botReplies, startTestPiper, type TestPiper } from "../support/piper.js";

/** Holds the request-record statement while `holding`; everything else goes through. */
function recordHold() {
  let holding = false;
  const waiting: Array<() => void> = [];
  let held = 0;
  const wrap = (inner: SqlExecutor): SqlExecutor => ({
    async executeSql(text, values, options) {
      if (holding && options?.prepared?.name === "piper_accept_jobs") {
        held++;
        await new Promise<void>((resolve) => waiting.push(resolve));
      }
      return inner.executeSql(text, values, options);
    },
  });
  return {
    wrap,
    hold: () => void (holding = true),
    release: () => {
      holding = false;
      for (const go of waiting.splice(0)) go();
    },
    held: () => held,
  };
}

describe("answering while the request is recorded", () => {
  const records = recordHold();
  const routed: string[] = [];
  const router: Router = {
    activity: () => "answering",
    route: async (inbound) => {
      routed.push(inbound.text);
      return reply(`answer: ${inbound.text}`);
    },
  };
  let piper: TestPiper;
  beforeAll(async () => {
    piper = await startTestPiper({ router: () => router }, {}, { sql: records.wrap });
  });
  afterAll(async () => {
    records.release();
    await piper?.close();
  });

  const mention = (eventId: string, ts: string, text: string) => mentionEnvelope(piper.slackLocal, eventId, ts, text);

  it("a first mention is answered before its record is in; Slack gets the ack only once it is", async () => {
    const slack = piper.slackLocal;
    const c = slack.channels.general;
    const mentionAcks = () => slack.deliveries.filter((d) => d.type === "app_mention" && d.status === 200).length;
    const acksBefore = mentionAcks();
    records.hold();
    const posted = slack.postUserMessage({ channel: c, text: `<@${piper.botUserId}> quick one` });
    // The answer arrives while the record statement is still held…
    const answer = await slack.waitFor(() => slack.messages(c).find((m) => m.bot_id && m.text === "answer: quick one"));
    expect(records.held()).toBeGreaterThan(0);
    // …and the mention has not been acked: Slack would retry it if Piper died now.
    expect(mentionAcks()).toBe(acksBefore);
    records.release();
    const { ts, eventIds } = await posted;
    expect(answer.thread_ts).toBe(ts);
    const ack = slack.deliveries.find((d) => d.type === "app_mention" && eventIds.includes(d.eventId ?? ""));
    expect(ack?.status).toBe(200);
    await slack.waitFor(() => piper.slack.queue.pending === 0);
    expect(botReplies(slack, c, ts)).toHaveLength(1);
  });

  it("a redelivery waits for its record before routing, and is answered once", async () => {
    const slack = piper.slackLocal;
    const c = slack.channels.general;
    const { ts } = await slack.postUserMessage({ channel: c, text: "plain message to hang a mention on" });
    records.hold();
    const heldBefore = records.held();
    const delivered = slack.deliver(mention("Ev0REDELIVER01", ts, "again"), { retryNum: 1, retryReason: "http_timeout" });
    await slack.waitFor(() => records.held() > heldBefore);
    // The outcome can't be known while the record is held, so nothing has been routed.
    expect(routed).not.toContain("again");
    records.release();
    expect((await delivered).status).toBe(200);
    await slack.waitFor(() => botReplies(slack, c, ts).length === 1);
    await slack.waitFor(() => piper.slack.queue.pending === 0);
    expect(botReplies(slack, c, ts).map((m) => m.text)).toEqual(["answer: again"]);
  });

  it("a redelivery recorded for the first time here looks in the thread first: an answer already there is not repeated", async () => {
    const slack = piper.slackLocal;
    const c = slack.channels.general;
    const { ts } = await slack.postUserMessage({ channel: c, text: "another message to hang a mention on" });
    // What a Piper that died after answering, before its record was in, left behind.
    await piper.slack.poster.postMessage(c, ts, { text: "answer: from the process that died" }, { key: "Ev0REDELIVER02" });
    const delivered = await slack.deliver(mention("Ev0REDELIVER02", ts, "once more"), { retryNum: 1, retryReason: "http_timeout" });
    expect(delivered.status).toBe(200);
    await slack.waitFor(() => slack.calls.some((call) => call.method === "conversations.replies" && call.args.ts === ts));
    await slack.waitFor(() => piper.slack.queue.pending === 0);
    expect(routed).not.toContain("once more");
    expect(botReplies(slack, c, ts).map((m) => m.text)).toEqual(["answer: from the process that died"]);
  });
});
