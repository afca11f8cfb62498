// Pins createChannel: a channel made at run time gets a fresh Slack-shaped id and works like the fixed ones.
import { WebClient } from "@slack/web-api";
import { afterEach, describe, expect, it } from "vitest";
import { startLocalSlack, type LocalSlack } from "../../src/local/index.js";

const TOKEN = "xoxb-emulator-test";

describe("channels created at run time", () => {
  let slack: LocalSlack | undefined;
  afterEach(async () => {
    await slack?.close();
  });

  it("get fresh ids, accept messages and the bot's replies, and show in conversations.info", async () => {
    slack = await startLocalSlack({ port: 0, signingSecret: "s", botToken: TOKEN, retryDelaysMs: [] });
    const a = slack.createChannel("load-a");
    const b = slack.createChannel("load-b", "private");
    expect(a).toMatch(/^C[0-9A-Z]{9}$/);
    expect(b).toMatch(/^G[0-9A-Z]{9}$/);
    const fixed = Object.values(slack.channels).filter((v) => typeof v === "string");
    expect(new Set([a, b, ...fixed]).size).toBe(fixed.length + 2);

    const { ts } = await slack.postUserMessage({ channel: a, text: "hello" });
    const client = new WebClient(TOKEN, { slackApiUrl: slack.apiUrl });
    await client.chat.postMessage({ channel: a, thread_ts: ts, text: "hi back" });
    expect(slack.replies(a, ts).map((m) => m.text)).toEqual(["hello", "hi back"]);
    const info = await client.conversations.info({ channel: b });
    expect(info.channel).toMatchObject({ id: b, name: "load-b", is_private: true });
  });
});
