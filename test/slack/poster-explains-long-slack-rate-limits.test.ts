import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalSlack, type LocalSlack } from "../../src/local/index.js";
import { createLogger } from "../../src/logger.js";
import { ChannelPacer } from "../../src/slack/pacer.js";
import { passThroughPolicy, SlackPoster, SlackRateLimitedError } from "../../src/slack/poster.js";

const TOKEN = "xoxb-poster-test";

describe("the Slack poster and Slack's rate limits", () => {
  let slack: LocalSlack;
  let poster: SlackPoster;
  beforeAll(async () => {
    slack = await startLocalSlack({ port: 0, signingSecret: "s", botToken: TOKEN });
    const client = new WebClient(TOKEN, { slackApiUrl: slack.apiUrl, rejectRateLimitedCalls: true, retryConfig: { retries: 0 } });
    poster = new SlackPoster({ client, policy: passThroughPolicy, pacer: new ChannelPacer({ intervalMs: 0, burst: 1 }), logger: createLogger({ level: "silent" }) });
  });
  afterAll(async () => slack?.close());

  it("does not hold a reply for a long Retry-After: it says how long to wait instead", async () => {
    slack.rateLimitNext("chat.postMessage", 120);
    const before = slack.calls.length;
    const err = (await poster.postMessage(slack.channels.general, undefined, { text: "hi" }).catch((e: unknown) => e)) as SlackRateLimitedError;
    expect(err).toBeInstanceOf(SlackRateLimitedError);
    expect(err.retryAfterSeconds).toBe(120);
    expect(err.userMessage).toBe("Slack is rate-limiting me right now — please try again in about 120 seconds.");
    expect(slack.calls.length - before).toBe(1);
  });

  it("a 429 on one method does not pause calls to another", async () => {
    slack.rateLimitNext("chat.update", 45);
    const posted = await poster.postMessage(slack.channels.random, undefined, { text: "still flowing" });
    expect(slack.messages(slack.channels.random).some((m) => m.ts === posted.ts)).toBe(true);
    await expect(poster.update(slack.channels.random, posted.ts, { text: "edit" })).rejects.toBeInstanceOf(SlackRateLimitedError);
  });
});
