import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reply, type Router } from "../../src/routing/router.js";
import { botReplies, startTestPiper, type TestPiper } from "../support/piper.js";

function gatedRouter() {
  const gates = new Map<string, () => void>();
  const router: Router = {
    activity: () => "thinking",
    route: (inbound) => new Promise((resolve) => gates.set(inbound.text, () => resolve(reply(`done: ${inbound.text}`)))),
  };
  return { router, release: (text: string) => gates.get(text)?.(), waiting: (text: string) => gates.has(text) };
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
    await slack.postUserMessage({ channel: dm, threadTs: root.ts, text: "slow dm" });
    await slack.waitFor(() => slack.calls.find((c) => c.method === "assistant.threads.setStatus" && c.args.thread_ts === root.ts));
    gated.release("slow dm");
    await slack.waitFor(() => slack.replies(dm, root.ts).some((m) => m.text === "done: slow dm"));
  });
});
