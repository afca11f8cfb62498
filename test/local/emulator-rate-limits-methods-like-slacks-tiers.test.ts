// Per-method rate limits in the emulator: a burst, then 429 with Retry-After until the bucket refills (on a fake clock).
import { ErrorCode, WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalSlack, type LocalSlack } from "../../src/local/index.js";

const TOKEN = "xoxb-rate-test";

describe("rate limits like Slack's tiers", () => {
  let slack: LocalSlack;
  let client: WebClient;
  let now = 1_000_000;
  beforeAll(async () => {
    slack = await startLocalSlack({ port: 0, signingSecret: "s", botToken: TOKEN, now: () => now });
    client = new WebClient(TOKEN, { slackApiUrl: slack.apiUrl, rejectRateLimitedCalls: true, retryConfig: { retries: 0 } });
  });
  afterAll(async () => slack?.close());

  const retryAfter = (call: Promise<unknown>) =>
    call.then(
      () => undefined,
      (e: { code?: string; retryAfter?: number }) => (e.code === ErrorCode.RateLimitedError ? e.retryAfter : Promise.reject(e)),
    );

  it("are off by default", async () => {
    for (let i = 0; i < 20; i++) expect(await retryAfter(client.chat.postMessage({ channel: slack.channels.general, text: `n${i}` }))).toBeUndefined();
  });

  it("per channel: a short burst, then 429 with Retry-After; another channel is unaffected; time refills the bucket", async () => {
    slack.rateLimit("chat.postMessage", { perSecondPerChannel: 1, burst: 2 });
    const post = (channel: string) => retryAfter(client.chat.postMessage({ channel, text: "hi" }));
    expect(await post(slack.channels.general)).toBeUndefined();
    expect(await post(slack.channels.general)).toBeUndefined();
    expect(await post(slack.channels.general)).toBe(1);
    expect(await post(slack.channels.random)).toBeUndefined();
    now += 1_000;
    expect(await post(slack.channels.general)).toBeUndefined();
    expect(await post(slack.channels.general)).toBe(1);
    slack.rateLimit("chat.postMessage", undefined);
    expect(await post(slack.channels.general)).toBeUndefined();
  });

  it("per minute (a tier): the allowance is spent, then Retry-After says when the next call fits; the 429 wrote nothing", async () => {
    slack.rateLimit("conversations.history", { perMinute: 20, burst: 2 });
    const history = () => retryAfter(client.conversations.history({ channel: slack.channels.mobile }));
    expect(await history()).toBeUndefined();
    expect(await history()).toBeUndefined();
    expect(await history()).toBe(3); // one call every 3 s at 20/min
    now += 3_000;
    expect(await history()).toBeUndefined();
    slack.rateLimit("chat.postMessage", { perMinute: 1, burst: 1 });
    const before = slack.messages(slack.channels.mobile).length;
    await client.chat.postMessage({ channel: slack.channels.mobile, text: "one" });
    expect(await retryAfter(client.chat.postMessage({ channel: slack.channels.mobile, text: "two" }))).toBe(60);
    expect(slack.messages(slack.channels.mobile).length - before).toBe(1);
  });
});
