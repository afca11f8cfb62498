// Fetching a thread's history can wait on Slack's rate limit; the person sees "Working on it…" meanwhile, not silence.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reply, type Router } from "../../src/routing/router.js";
import { botReplies, startTestPiper, type TestPiper } from "../support/piper.js";

describe("a rate-limited thread history", () => {
  const echo: Router = { activity: () => "reading", route: async (inbound) => reply(`read ${inbound.history.length} earlier message(s)`) };
  let piper: TestPiper;
  beforeAll(async () => {
    piper = await startTestPiper({ router: () => echo, progressAfterMs: 20 });
  });
  afterAll(async () => piper?.close());

  it("posts the placeholder while conversations.replies waits out its 429, then replaces it with the answer", async () => {
    const slack = piper.slackLocal;
    const c = slack.channels.random;
    const eventsUrl = `http://127.0.0.1:${piper.http.port}/slack/events`;
    slack.setDeliveryUrl(undefined); // a thread Piper never saw, so its history must be fetched
    const root = await slack.postUserMessage({ channel: c, text: "launch checklist" });
    slack.setDeliveryUrl(eventsUrl);
    slack.rateLimitNext("conversations.replies", 2);
    const { ts } = await slack.postUserMessage({ channel: c, threadTs: root.ts, text: `<@${piper.botUserId}> what's left?` });
    // Before the fix the history was fetched before the progress timer started: 2 s of nothing.
    const placeholder = await slack.waitFor(() => botReplies(slack, c, root.ts).find((m) => m.text.includes("Working on it")));
    const historyCalls = slack.calls.filter((x) => x.method === "conversations.replies" && x.args.ts === root.ts);
    expect(historyCalls.length).toBeLessThanOrEqual(1); // the rate-limited attempt; the retry comes after Retry-After
    const final = await slack.waitFor(() => {
      const r = botReplies(slack, c, root.ts);
      return r.length === 1 && r[0]!.text === "read 1 earlier message(s)" && r[0];
    });
    expect(final.ts).toBe(placeholder.ts);
    expect(ts).toBeDefined();
  });
});
