// updateOrPost: the answer replaces the placeholder; when the update's outcome is unknown it reads back before posting.
import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { posterAgainstEmulator, type PosterHarness } from "./support/poster.js";

describe("replacing a placeholder with the answer", () => {
  let h: PosterHarness;
  beforeAll(async () => {
    h = await posterAgainstEmulator({ timeoutMs: 250, lookBackDelaysMs: [200, 1_000] });
  });
  afterAll(async () => h?.close());

  async function withPlaceholder(channel: string, key: string) {
    const ts = (await h.slack.postUserMessage({ channel, text: "question" })).ts;
    const placeholder = await h.poster.postMessage(channel, ts, { text: "_Working on it…_" }, { key: `${key}:progress` });
    return { ts, placeholder, target: { channel, threadTs: ts, user: h.slack.users.alice } };
  }
  const botReplies = (channel: string, ts: string) => h.slack.replies(channel, ts).filter((m) => m.bot_id && m.ts !== ts);

  it("updates the placeholder in place", async () => {
    const { slack, poster } = h;
    const { ts, placeholder, target } = await withPlaceholder(slack.channels.general, "Ev0UPD00001");
    const reply = await poster.updateOrPost(placeholder, target, { text: "the answer" }, { key: "Ev0UPD00001" });
    expect(reply).toEqual({ delivery: "updated", messages: [placeholder] });
    expect(botReplies(slack.channels.general, ts).map((m) => [m.ts, m.text])).toEqual([[placeholder.ts, "the answer"]]);
  });

  it("a placeholder someone deleted: the answer is posted instead", async () => {
    const { slack, poster } = h;
    const { ts, placeholder, target } = await withPlaceholder(slack.channels.random, "Ev0UPD00002");
    await new WebClient("xoxb-poster-harness", { slackApiUrl: slack.apiUrl }).chat.delete({ channel: placeholder.channel, ts: placeholder.ts });
    const reply = await poster.updateOrPost(placeholder, target, { text: "the answer" }, { key: "Ev0UPD00002" });
    expect(reply.delivery).toBe("posted");
    expect(botReplies(slack.channels.random, ts).map((m) => m.text)).toEqual(["the answer"]);
  });

  it("an update Slack performs after the timeout: read back, found updated, nothing posted", async () => {
    const { slack, poster } = h;
    const { ts, placeholder, target } = await withPlaceholder(slack.channels.mobile, "Ev0UPD00003");
    slack.delayNext("chat.update", 600);
    const posts = slack.calls.filter((c) => c.method === "chat.postMessage").length;
    const reply = await poster.updateOrPost(placeholder, target, { text: "the answer" }, { key: "Ev0UPD00003" });
    await slack.idle();
    expect(reply.messages).toEqual([placeholder]);
    expect(botReplies(slack.channels.mobile, ts).map((m) => m.text)).toEqual(["the answer"]);
    expect(slack.calls.filter((c) => c.method === "chat.postMessage").length).toBe(posts);
  });

  it("an update lost to a 5xx: the placeholder is still there, so it is updated again rather than a second message posted", async () => {
    const { slack, poster } = h;
    const { ts, placeholder, target } = await withPlaceholder(slack.channels.general, "Ev0UPD00004");
    slack.serverErrorNext("chat.update", { status: 500 });
    const reply = await poster.updateOrPost(placeholder, target, { text: "the answer" }, { key: "Ev0UPD00004" });
    expect(reply.messages).toEqual([placeholder]);
    expect(botReplies(slack.channels.general, ts).map((m) => m.text)).toEqual(["the answer"]);
    expect(slack.calls.filter((c) => c.method === "chat.update" && c.args.ts === placeholder.ts)).toHaveLength(2);
  });
});
