// Slack's 429s: a long Retry-After becomes a sentence with the wait; a 429 on one method never pauses another.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalSlack } from "../../src/local/index.js";
import { SlackPoster, SlackRateLimitedError } from "../../src/slack/poster.js";
import { posterAgainstEmulator, type PosterHarness } from "./support/poster.js";

describe("the Slack poster and Slack's rate limits", () => {
  let h: PosterHarness;
  let slack: LocalSlack;
  let poster: SlackPoster;
  beforeAll(async () => {
    h = await posterAgainstEmulator();
    ({ slack, poster } = h);
  });
  afterAll(async () => h?.close());

  it("does not hold a reply for a long Retry-After: it says how long to wait instead", async () => {
    slack.rateLimitNext("chat.postMessage", 120);
    const before = slack.calls.length;
    const err = (await poster.postMessage(slack.channels.general, undefined, { text: "hi" }).catch((e: unknown) => e)) as SlackRateLimitedError;
    expect(err).toBeInstanceOf(SlackRateLimitedError);
    expect(err.retryAfterSeconds).toBe(120);
    expect(err.userMessage).toBe("Slack is rate-limiting me right now — please try again in about 120 seconds.");
    expect(slack.calls.length - before).toBe(1);
  });

  it("short Retry-Afters are waited out one after another (within the budget), and the post is made once", async () => {
    slack.rateLimitNext("chat.postMessage", 1, 2);
    const root = await slack.postUserMessage({ channel: slack.channels.mobile, text: "busy channel" });
    const posted = await poster.postMessage(slack.channels.mobile, root.ts, { text: "got through" });
    expect(slack.replies(slack.channels.mobile, root.ts).filter((m) => m.bot_id).map((m) => m.ts)).toEqual([posted.ts]);
    expect(slack.calls.filter((c) => c.method === "chat.postMessage" && c.args.thread_ts === root.ts)).toHaveLength(3);
  });

  it("a 429 on one method does not pause calls to another", async () => {
    slack.rateLimitNext("chat.update", 45);
    const posted = await poster.postMessage(slack.channels.random, undefined, { text: "still flowing" });
    expect(slack.messages(slack.channels.random).some((m) => m.ts === posted.ts)).toBe(true);
    await expect(poster.update(slack.channels.random, posted.ts, { text: "edit" })).rejects.toBeInstanceOf(SlackRateLimitedError);
  });
});
