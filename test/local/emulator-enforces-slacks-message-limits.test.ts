// The emulator refuses oversized messages the way Slack does, but only once a test turns the limits on.
import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalSlack, type LocalSlack } from "../../src/local/index.js";

const TOKEN = "xoxb-limits-test";
const section = (text: string) => ({ type: "section", text: { type: "mrkdwn", text } });

describe("Slack's message limits in the emulator", () => {
  let slack: LocalSlack;
  let client: WebClient;
  beforeAll(async () => {
    slack = await startLocalSlack({ port: 0, signingSecret: "s", botToken: TOKEN });
    client = new WebClient(TOKEN, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  });
  afterAll(async () => slack?.close());

  async function slackError(call: Promise<unknown>): Promise<{ error?: string; messages?: string[] }> {
    const err = (await call.then(() => undefined, (e: unknown) => e)) as { data?: { error: string; response_metadata?: { messages?: string[] } } } | undefined;
    return { error: err?.data?.error, messages: err?.data?.response_metadata?.messages };
  }

  it("are off by default: a 40,001-character message is accepted", async () => {
    const res = await client.chat.postMessage({ channel: slack.channels.general, text: "x".repeat(40_001) });
    expect(res.ok).toBe(true);
  });

  it("text over 40,000 characters is msg_too_long; exactly 40,000 is fine", async () => {
    slack.enforceLimits();
    expect(await slackError(client.chat.postMessage({ channel: slack.channels.general, text: "x".repeat(40_001) }))).toMatchObject({ error: "msg_too_long" });
    expect((await client.chat.postMessage({ channel: slack.channels.general, text: "x".repeat(40_000) })).ok).toBe(true);
  });

  it("more than 50 blocks, or a section over 3,000 characters, is invalid_blocks with a pointer to the field", async () => {
    slack.enforceLimits();
    const tooMany = Array.from({ length: 51 }, (_, i) => section(`part ${i}`));
    expect(await slackError(client.chat.postMessage({ channel: slack.channels.general, text: "t", blocks: tooMany }))).toMatchObject({ error: "invalid_blocks", messages: [expect.stringContaining("[json-pointer:/blocks]")] });
    const tooLong = [section("ok"), section("y".repeat(3_001))];
    expect(await slackError(client.chat.postMessage({ channel: slack.channels.general, text: "t", blocks: tooLong }))).toMatchObject({ error: "invalid_blocks", messages: [expect.stringContaining("/blocks/1/text/text")] });
    expect((await client.chat.postMessage({ channel: slack.channels.general, text: "t", blocks: [section("y".repeat(3_000))] })).ok).toBe(true);
  });

  it("chat.update is held to the same limits, and a refused update leaves the message as it was", async () => {
    slack.enforceLimits();
    const posted = await client.chat.postMessage({ channel: slack.channels.random, text: "before" });
    expect(await slackError(client.chat.update({ channel: slack.channels.random, ts: posted.ts!, text: "z".repeat(40_001) }))).toMatchObject({ error: "msg_too_long" });
    expect(slack.messages(slack.channels.random).find((m) => m.ts === posted.ts)!.text).toBe("before");
  });
});
