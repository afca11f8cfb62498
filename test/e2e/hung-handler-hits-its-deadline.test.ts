// A handler that never finishes must not hold its thread or a worker slot for ever: the deadline cancels it and says so.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reply, type Router } from "../../src/routing/router.js";
import { botReplies, startTestPiper, type TestPiper } from "../support/piper.js";

describe("a request past its deadline", () => {
  const aborted: string[] = [];
  const router: Router = {
    activity: () => "thinking",
    route: (inbound, _progress, signal) => {
      if (!inbound.text.includes("hang")) return Promise.resolve(reply(`fine: ${inbound.text}`));
      signal.addEventListener("abort", () => aborted.push(inbound.text));
      return new Promise(() => undefined); // never settles, and ignores the signal
    },
  };
  let piper: TestPiper;
  beforeAll(async () => {
    piper = await startTestPiper({ router: () => router, progressAfterMs: 60_000 }, { PIPER_REQUEST_DEADLINE_MS: "1500", PIPER_QUEUE_CONCURRENCY: "1" });
  });
  afterAll(async () => piper?.close());

  it("is cancelled through its signal, the user is told, and the thread and slot are free again", async () => {
    const slack = piper.slackLocal;
    const c = slack.channels.general;
    const hung = await slack.postUserMessage({ channel: c, text: `<@${piper.botUserId}> hang forever` });
    const answer = await slack.waitFor(() => botReplies(slack, c, hung.ts)[0], { timeoutMs: 20_000 });
    expect(answer.text).toContain("longer than I allow myself (2 seconds)");
    expect(aborted).toEqual(["hang forever"]);
    // With one worker slot, this is only answered because the hung request let go of it.
    const next = await slack.postUserMessage({ channel: c, threadTs: hung.ts, text: `<@${piper.botUserId}> next` });
    await slack.waitFor(() => botReplies(slack, c, hung.ts).some((m) => m.text === "fine: next"), { timeoutMs: 20_000 });
    expect(botReplies(slack, c, hung.ts)).toHaveLength(2);
    expect(next.ts).toBeDefined();
  });
});
