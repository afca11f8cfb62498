// Message metadata round-trips like Slack's (only with include_all_metadata); channels without Piper refuse like Slack.
import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalSlack, type LocalSlack } from "../../src/local/index.js";

const TOKEN = "xoxb-metadata-test";
const metadata = { event_type: "piper_reply", event_payload: { key: "Ev123" } };

describe("metadata and membership in the emulator", () => {
  let slack: LocalSlack;
  let client: WebClient;
  beforeAll(async () => {
    slack = await startLocalSlack({ port: 0, signingSecret: "s", botToken: TOKEN });
    client = new WebClient(TOKEN, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  });
  afterAll(async () => slack?.close());

  const slackError = (call: Promise<unknown>) => call.then(() => "ok", (e: { data?: { error?: string } }) => e.data?.error);

  it("chat.postMessage metadata comes back from replies and history only when include_all_metadata is set", async () => {
    const root = await slack.postUserMessage({ channel: slack.channels.general, text: "question" });
    const reply = await client.chat.postMessage({ channel: slack.channels.general, thread_ts: root.ts, text: "answer", metadata });
    const plain = await client.conversations.replies({ channel: slack.channels.general, ts: root.ts });
    expect(plain.messages?.find((m) => m.ts === reply.ts)?.metadata).toBeUndefined();
    const withMeta = await client.conversations.replies({ channel: slack.channels.general, ts: root.ts, include_all_metadata: true });
    expect(withMeta.messages?.find((m) => m.ts === reply.ts)?.metadata).toEqual(metadata);
    const top = await client.chat.postMessage({ channel: slack.channels.general, text: "top level", metadata });
    const history = await client.conversations.history({ channel: slack.channels.general, include_all_metadata: true, oldest: root.ts });
    expect(history.messages?.map((m) => m.ts)).toEqual([top.ts]); // newest first, inside oldest
    expect(history.messages?.[0]?.metadata).toEqual(metadata);
  });

  it("chat.update replaces metadata; malformed metadata is invalid_metadata_format", async () => {
    const posted = await client.chat.postMessage({ channel: slack.channels.random, text: "_Working on it…_", metadata: { event_type: "piper_reply", event_payload: { key: "Ev1:progress" } } });
    await client.chat.update({ channel: slack.channels.random, ts: posted.ts!, text: "done", metadata });
    expect(slack.messages(slack.channels.random).find((m) => m.ts === posted.ts)?.metadata).toEqual(metadata);
    expect(await slackError(client.chat.postMessage({ channel: slack.channels.random, text: "x", metadata: { event_type: "piper_reply" } as never }))).toBe("invalid_metadata_format");
  });

  it("without Piper, a public channel answers not_in_channel and a private one channel_not_found; ephemerals too; DMs open", async () => {
    slack.removePiperFrom(slack.channels.mobile);
    slack.removePiperFrom(slack.channels.privateChannel);
    expect(await slackError(client.chat.postMessage({ channel: slack.channels.mobile, text: "hi" }))).toBe("not_in_channel");
    expect(await slackError(client.chat.postMessage({ channel: slack.channels.privateChannel, text: "hi" }))).toBe("channel_not_found");
    expect(await slackError(client.chat.postEphemeral({ channel: slack.channels.mobile, user: slack.users.alice, text: "hi" }))).toBe("not_in_channel");
    const info = await client.conversations.info({ channel: slack.channels.mobile });
    expect(info.channel?.is_member).toBe(false);
    const dm = await client.conversations.open({ users: slack.users.alice });
    expect(dm.channel?.id).toBe(slack.channels.dmWithPiper(slack.users.alice));
    slack.invitePiperTo(slack.channels.mobile);
    expect(await slackError(client.chat.postMessage({ channel: slack.channels.mobile, text: "hi" }))).toBe("ok");
  });
});
