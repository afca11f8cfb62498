// Issue 11 through the emulator, without a model: link a channel (and a question naming no repository is then about it), remember a fact, ask what Piper remembers, forget the fact — each one reply, written to RoomMemory.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RoomMemoryStore } from "../../src/spatial/memory.js";
import { botReplies, startTestPiper, type TestPiper } from "../support/piper.js";

/** Asks in its own thread of #mobile and returns Piper's one reply there. */
async function ask(piper: TestPiper, text: string): Promise<string> {
  const slack = piper.slackLocal;
  const channel = slack.channels.mobile;
  const { ts } = await slack.postUserMessage({ channel, text: `<@${piper.botUserId}> ${text}` });
  const replies = await slack.waitFor(() => {
    const r = botReplies(slack, channel, ts);
    return r.length > 0 && r;
  });
  await slack.waitFor(() => piper.slack.queue.pending === 0);
  expect(botReplies(slack, channel, ts)).toHaveLength(1);
  return replies[0]!.text;
}

describe("room memory through Slack", () => {
  let piper: TestPiper;
  let store: RoomMemoryStore;
  beforeAll(async () => {
    piper = await startTestPiper();
    store = new RoomMemoryStore(piper.db.prisma);
  });
  afterAll(async () => piper?.close());

  it("links the channel, remembers a fact, recalls both, and forgets the fact", async () => {
    const channel = piper.slackLocal.channels.mobile;

    // Each ask is its own thread, so each answer may open with the no-model note.
    expect(await ask(piper, "this channel is acme/web")).toMatch(/Got it — I'll remember that <#C\w+> is linked to acme\/web\.$/);
    const territory = (await piper.db.prisma.territory.findFirstOrThrow()).slackTeamId;
    expect(await store.linkedRepo(territory, channel)).toBe("acme/web");
    // A question that names no repository is now about the channel's.
    expect(await ask(piper, "what's blocking?")).toMatch(/ in acme\/web\b/);

    expect(await ask(piper, "remember that we deploy on tuesdays")).toMatch(/Got it — I'll remember that for <#C\w+>: “we deploy on tuesdays”\./);

    // The turns are written just after the replies; the recall counts them.
    await expect.poll(() => piper.db.prisma.conversationTurn.count(), { timeout: 30_000 }).toBe(3);
    const recalled = await ask(piper, "what do you remember about this channel?");
    expect(recalled).toContain("Linked repository: acme/web");
    expect(recalled).toContain("“we deploy on tuesdays”");
    expect(recalled).toMatch(/What I remember about <#C\w+>[\s\S]*noted by \S+ on \d{4}-\d{2}-\d{2}/);
    expect(recalled).toMatch(/Asked most in the last 30 days: memory \(2\), status \(1\)\./);
    expect(recalled).not.toMatch(/<@/);

    expect(await ask(piper, "forget that we deploy on tuesdays")).toMatch(/Forgot: “we deploy on tuesdays”\./);
    expect((await store.facts(territory, channel)).map((f) => f.text)).toEqual(["acme/web"]);
    expect(await ask(piper, "forget that we deploy on tuesdays")).toMatch(/I don't remember anything about <#C\w+> that matches “we deploy on tuesdays”\. What I remember here: the link to acme\/web\./);
  });
});
