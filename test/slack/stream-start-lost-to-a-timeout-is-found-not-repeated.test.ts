// A chat.startStream Slack performs after Piper's timeout is found and streamed into: one message, never a second answer.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import type { Inbound } from "../../src/slack/inbound.js";
import { StreamWriter } from "../../src/slack/stream-writer.js";
import { posterAgainstEmulator, type PosterHarness } from "./support/poster.js";

async function* parts(list: string[]): AsyncIterable<string> {
  for (const p of list) {
    await new Promise((r) => setTimeout(r, 5));
    yield p;
  }
}

describe("a stream start whose outcome is unknown", () => {
  let h: PosterHarness;
  beforeAll(async () => {
    h = await posterAgainstEmulator({ timeoutMs: 250, lookBackDelaysMs: [200, 1_000] });
  });
  afterAll(async () => h?.close());

  it("is looked for in the thread and used, so the answer stays one message", async () => {
    const { slack, poster } = h;
    const root = await slack.postUserMessage({ channel: slack.channels.general, text: "plan please" });
    const inbound: Inbound = {
      id: "Ev0STREAM01", source: "mention", territory: slack.teamId, room: { id: slack.channels.general, kind: "channel" },
      threadTs: root.ts, ts: root.ts, user: slack.users.alice, text: "plan please", history: [],
    };
    slack.delayNext("chat.startStream", 600);
    const writer = new StreamWriter({ poster, logger: createLogger({ level: "silent" }), inbound, flushMs: 0 });
    const result = await writer.write(parts(["First. ", "Second. ", "Third."]));
    await slack.idle();
    const replies = slack.replies(slack.channels.general, root.ts).filter((m) => m.bot_id);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.ts).toBe(result.ts);
    expect(replies[0]!.text).toBe("First. Second. Third.");
    expect(replies[0]!.metadata).toEqual({ event_type: "piper_reply", event_payload: { key: "Ev0STREAM01" } });
    expect(slack.calls.filter((c) => c.method === "chat.startStream")).toHaveLength(1);
  });
});
