// Reading a whole thread for a summary (ThreadContext.thread) against the emulator and a pinned clock: memory first,
// then one conversations.replies page of 15 at most once a minute per workspace, the next page after the last one read.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import type { Inbound } from "../../src/slack/inbound.js";
import { ThreadContext } from "../../src/slack/thread-context.js";
import { ThreadMemory } from "../../src/slack/thread-memory.js";
import { posterAgainstEmulator, type PosterHarness } from "../slack/support/poster.js";

describe("reading a thread within Slack's limits", () => {
  let h: PosterHarness;
  let clock = 0;
  let memory: ThreadMemory;
  let context: ThreadContext;
  beforeEach(async () => {
    h = await posterAgainstEmulator();
    clock = 1_000_000;
    memory = new ThreadMemory();
    context = new ThreadContext(memory, h.poster, "U0PIPERBOT", createLogger({ level: "silent" }), { now: () => clock });
  });
  afterEach(async () => h.close());

  const replies = () => h.slack.calls.filter((c) => c.method === "conversations.replies");

  async function longThread(replyCount: number): Promise<{ root: string; request: Inbound }> {
    const channel = h.slack.channels.general;
    const { ts: root } = await h.slack.postUserMessage({ channel, text: "root" });
    for (let i = 1; i <= replyCount; i++) await h.slack.postUserMessage({ channel, threadTs: root, user: h.slack.users.bob, text: `reply ${i}` });
    const { ts } = await h.slack.postUserMessage({ channel, threadTs: root, text: "summarize" });
    return { root, request: { id: `E${ts}`, source: "mention", territory: "T1", room: { id: channel, kind: "channel" }, threadTs: root, ts, user: h.slack.users.alice, text: "summarize", history: [] } };
  }

  it("reads a page, then waits out the minute, then reads on from where it stopped", async () => {
    const { root, request } = await longThread(20);
    const first = await context.thread(request);
    expect(replies()).toHaveLength(1);
    expect(first.messages.map((m) => m.text)).toEqual(["root", ...Array.from({ length: 14 }, (_, i) => `reply ${i + 1}`)]);
    expect(first).toMatchObject({ complete: false, total: 22 });

    clock += 30_000;
    const tooSoon = await context.thread(request);
    expect(replies()).toHaveLength(1);
    expect(tooSoon).toMatchObject({ complete: false, gap: "rate-limited", total: 22 });
    expect(tooSoon.messages).toHaveLength(15);

    clock += 31_000;
    const rest = await context.thread(request);
    expect(replies()).toHaveLength(2);
    expect(replies()[1]!.args).toMatchObject({ ts: root, oldest: first.messages.at(-1)!.ts });
    expect(rest.complete).toBe(true);
    expect(rest.messages.map((m) => m.text)).toEqual(["root", ...Array.from({ length: 20 }, (_, i) => `reply ${i + 1}`)]);
  });

  it("a thread Piper saw from its first message is read from memory, without calling Slack", async () => {
    const { root, request } = await longThread(3);
    const key = `${request.room.id}:${root}`;
    for (const m of h.slack.replies(request.room.id, root)) memory.record(key, { ts: m.ts, user: m.user, fromPiper: false, text: m.text });
    const read = await context.thread(request);
    expect(replies()).toHaveLength(0);
    expect(read.complete).toBe(true);
    expect(read.messages.map((m) => m.text)).toEqual(["root", "reply 1", "reply 2", "reply 3"]);
  });

  it("the minute is per workspace: another workspace's read is not held back", async () => {
    const { request } = await longThread(20);
    await context.thread(request);
    const other = await context.thread({ ...request, territory: "T2" });
    expect(replies()).toHaveLength(2);
    expect(other.gap).toBeUndefined();
  });
});
