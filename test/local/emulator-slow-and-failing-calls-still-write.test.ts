// Knobs for a misbehaving Slack: a slow call is performed after the client gave up; a 5xx may come before or after the write.
import { ErrorCode, WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalSlack, type LocalSlack } from "../../src/local/index.js";

const TOKEN = "xoxb-slow-test";

describe("a slow or failing Slack", () => {
  let slack: LocalSlack;
  beforeAll(async () => {
    slack = await startLocalSlack({ port: 0, signingSecret: "s", botToken: TOKEN });
  });
  afterAll(async () => slack?.close());

  it("delayNext: the client times out, and the message is in the channel once Slack gets to it", async () => {
    const client = new WebClient(TOKEN, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, timeout: 400 });
    slack.delayNext("chat.postMessage", 1_200);
    const err = (await client.chat.postMessage({ channel: slack.channels.general, text: "slow one" }).catch((e: unknown) => e)) as { code: string };
    expect(err.code).toBe(ErrorCode.RequestError);
    // Slack got it (on a busy machine the request may still be on its way when the client gives up); it is just slow.
    await slack.waitFor(() => slack.calls.some((c) => c.args.text === "slow one"));
    expect(slack.messages(slack.channels.general).some((m) => m.text === "slow one")).toBe(false);
    await slack.idle();
    expect(slack.messages(slack.channels.general).filter((m) => m.text === "slow one")).toHaveLength(1);
  });

  it("serverErrorNext: a 5xx before the write leaves nothing; with afterWrite the message exists although the client saw 5xx", async () => {
    const client = new WebClient(TOKEN, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    slack.serverErrorNext("chat.postMessage", { status: 503 });
    const before = (await client.chat.postMessage({ channel: slack.channels.random, text: "lost" }).catch((e: unknown) => e)) as { code: string; statusCode: number };
    expect(before).toMatchObject({ code: ErrorCode.HTTPError, statusCode: 503 });
    expect(slack.messages(slack.channels.random).some((m) => m.text === "lost")).toBe(false);
    slack.serverErrorNext("chat.postMessage", { afterWrite: true });
    const after = (await client.chat.postMessage({ channel: slack.channels.random, text: "landed" }).catch((e: unknown) => e)) as { code: string; statusCode: number };
    expect(after).toMatchObject({ code: ErrorCode.HTTPError, statusCode: 500 });
    expect(slack.messages(slack.channels.random).filter((m) => m.text === "landed")).toHaveLength(1);
  });
});
