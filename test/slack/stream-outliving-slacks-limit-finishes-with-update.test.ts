// A stream that runs past Slack's stream lifetime is stopped and finished with chat.update, in the same one message.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalSlack } from "../../src/local/index.js";
import { createLogger } from "../../src/logger.js";
import type { Inbound } from "../../src/slack/inbound.js";
import type { SlackPoster } from "../../src/slack/poster.js";
import { StreamWriter } from "../../src/slack/stream-writer.js";
import { posterAgainstEmulator, type PosterHarness } from "./support/poster.js";

async function* slowly(parts: string[], gapMs: number): AsyncIterable<string> {
  for (const p of parts) {
    await new Promise((r) => setTimeout(r, gapMs));
    yield p;
  }
}

describe("a stream that outlives Slack's limit", () => {
  let h: PosterHarness;
  let slack: LocalSlack;
  let poster: SlackPoster;
  beforeAll(async () => {
    h = await posterAgainstEmulator();
    ({ slack, poster } = h);
  });
  afterAll(async () => h?.close());

  it("stops streaming and finishes the same message with chat.update", async () => {
    const root = await slack.postUserMessage({ channel: slack.channels.general, text: "plan please" });
    const inbound: Inbound = {
      id: "Ev1", source: "mention", territory: slack.teamId, room: { id: slack.channels.general, kind: "channel" },
      threadTs: root.ts, ts: root.ts, user: slack.users.alice, text: "plan please", history: [],
    };
    // maxMs 30: the stream starts with the first chunk, then the limit passes while more arrive.
    const writer = new StreamWriter({ poster, logger: createLogger({ level: "silent" }), inbound, maxMs: 30, flushMs: 0 });
    const result = await writer.write(slowly(["**First** part. ", "Second part. ", "Third part."], 20));
    const methods = slack.calls.map((c) => c.method).filter((m) => m.startsWith("chat."));
    expect(methods[0]).toBe("chat.startStream");
    expect(methods).toContain("chat.stopStream");
    expect(methods.at(-1)).toBe("chat.update");
    const replies = slack.replies(slack.channels.general, root.ts).filter((m) => m.bot_id);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.ts).toBe(result.ts);
    expect(replies[0]!.text).toBe("*First* part. Second part. Third part.");
  });
});
