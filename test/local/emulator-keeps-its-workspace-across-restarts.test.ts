// With a persist path the emulator's workspace (messages, threads, created channels, Home tabs) survives a restart; without one nothing is written.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WebClient } from "@slack/web-api";
import { afterEach, describe, expect, it } from "vitest";
import { startLocalSlack, type LocalSlack } from "../../src/local/index.js";

const TOKEN = "xoxb-emulator-test";

describe("the emulator's workspace across restarts", () => {
  const open: LocalSlack[] = [];
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "piper-local-slack-"));
    dirs.push(dir);
    return dir;
  };
  const start = async (persistPath?: string) => {
    const slack = await startLocalSlack({ port: 0, signingSecret: "s", botToken: TOKEN, retryDelaysMs: [], persistPath });
    open.push(slack);
    return slack;
  };
  const close = async (slack: LocalSlack) => {
    open.splice(open.indexOf(slack), 1);
    await slack.close();
  };
  afterEach(async () => {
    for (const slack of open.splice(0)) await slack.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("messages, threads, a created channel and a Home tab are there after close and start", async () => {
    const path = join(tempDir(), "local-slack.json");
    const first = await start(path);
    const bot = new WebClient(TOKEN, { slackApiUrl: first.apiUrl });
    const { ts: question } = await first.postUserMessage({ channel: first.channels.general, text: "<@U0PIPERBOT> help" });
    await bot.chat.postMessage({ channel: first.channels.general, thread_ts: question, text: "Here is what I can do" });
    await first.postUserMessage({ channel: first.channels.general, text: "thanks", threadTs: question });
    await first.postUserMessage({ channel: first.channels.dmWithPiper(), text: "a DM" });
    const launch = first.createChannel("launch");
    await first.postUserMessage({ channel: launch, text: "launch day" });
    await bot.views.publish({ user_id: first.users.alice, view: { type: "home", blocks: [{ type: "section", text: { type: "mrkdwn", text: "Home" } }] } });
    const before = { general: first.messages(first.channels.general), thread: first.replies(first.channels.general, question) };
    await close(first);

    const second = await start(path);
    expect(second.messages(second.channels.general)).toEqual(before.general);
    expect(second.replies(second.channels.general, question).map((m) => m.text)).toEqual(["<@U0PIPERBOT> help", "Here is what I can do", "thanks"]);
    expect(second.messages(second.channels.dmWithPiper()).map((m) => m.text)).toEqual(["a DM"]);
    expect(second.messages(launch).map((m) => m.text)).toEqual(["launch day"]);
    expect(second.homeView(second.users.alice)).toMatchObject({ type: "home" });

    // The restored workspace keeps working: later messages sort after the old ones, a new channel gets a new id.
    const { ts: later } = await second.postUserMessage({ channel: second.channels.general, text: "later" });
    expect(Number(later)).toBeGreaterThan(Number(before.general.at(-1)!.ts));
    expect(second.createChannel("another")).not.toBe(launch);
  });

  it("without a persist path nothing is written", async () => {
    const dir = tempDir();
    const slack = await start();
    await slack.postUserMessage({ channel: slack.channels.general, text: "hello" });
    await close(slack);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("a damaged file is set aside with a warning and the emulator starts fresh", async () => {
    const path = join(tempDir(), "local-slack.json");
    writeFileSync(path, "{ not json");
    const slack = await start(path);
    expect(slack.messages(slack.channels.general)).toEqual([]);
    expect(existsSync(`${path}.damaged`)).toBe(true);
  });
});
