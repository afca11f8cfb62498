import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reply, type Router } from "../../src/routing/router.js";
import { botReplies, startTestPiper, type TestPiper } from "../support/piper.js";

/**
 * A router that answers each text only once the test releases it. A release may come before the
 * router is called: progress (placeholder, status) starts before the thread's history is read, so a
 * test that reacts to it can be ahead of the route — the release then waits for it.
 */
function gatedRouter() {
  const gates = new Map<string, () => void>();
  const released = new Set<string>();
  const router: Router = {
    activity: () => "thinking",
    route: (inbound) =>
      new Promise((resolve) => {
        const answer = () => resolve(reply(`done: ${inbound.text}`));
        if (released.delete(inbound.text)) answer();
        else gates.set(inbound.text, answer);
      }),
  };
  const release = (text: string) => {
    const gate = gates.get(text);
    if (gate) gate();
    else released.add(text);
  };
  return { router, release, waiting: (text: string) => gates.has(text) };
}

describe("slow work", () => {
  const gated = gatedRouter();
  let piper: TestPiper;
  beforeAll(async () => {
    piper = await startTestPiper({ router: () => gated.router, progressAfterMs: 20 });
  });
  afterAll(async () => piper?.close());

  it("posts a placeholder, then replaces it with the answer — one message in the thread", async () => {
    const slack = piper.slackLocal;
    const { ts } = await slack.postUserMessage({ channel: slack.channels.general, text: `<@${piper.botUserId}> slow one` });
    const placeholder = await slack.waitFor(() => botReplies(slack, slack.channels.general, ts)[0]);
    expect(placeholder.text).toContain("Working on it");
    gated.release("slow one");
    const final = await slack.waitFor(() => {
      const r = botReplies(slack, slack.channels.general, ts);
      return r.length === 1 && r[0]!.text === "done: slow one" && r[0];
    });
    expect(final.ts).toBe(placeholder.ts);
    expect(slack.calls.some((c) => c.method === "chat.update" && c.args.ts === placeholder.ts)).toBe(true);
  });

  it("sets an assistant status while working in a DM thread", async () => {
    const slack = piper.slackLocal;
    const dm = slack.channels.dmWithPiper();
    const root = await slack.postUserMessage({ channel: dm, text: "topic" });
    await slack.waitFor(() => gated.waiting("topic"));
    gated.release("topic");
    // Reading the thread is slow (as on a busy machine): the status shows before the router is called.
    slack.delayNext("conversations.replies", 300);
    await slack.postUserMessage({ channel: dm, threadTs: root.ts, text: "slow dm" });
    await slack.waitFor(() => slack.calls.find((c) => c.method === "assistant.threads.setStatus" && c.args.thread_ts === root.ts));
    gated.release("slow dm");
    await slack.waitFor(() => slack.replies(dm, root.ts).some((m) => m.text === "done: slow dm"));
  });
});
