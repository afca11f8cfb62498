// Names come from Slack once per id (however many ask at once), are trusted for their TTL, and a rename corrects them at once.
import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalSlack, type LocalSlack } from "../../src/local/index.js";
import { createLogger } from "../../src/logger.js";
import { SlackNames, type SlackCaller } from "../../src/spatial/names.js";

const TOKEN = "xoxb-names-test";

describe("the name cache", () => {
  let slack: LocalSlack;
  let caller: SlackCaller;
  beforeAll(async () => {
    slack = await startLocalSlack({ port: 0, signingSecret: "s", botToken: TOKEN, retryDelaysMs: [] });
    const client = new WebClient(TOKEN, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    caller = { call: (_method, fn) => fn(client) };
  });
  afterAll(async () => slack?.close());

  const infoCalls = (channel: string) => slack.calls.filter((c) => c.method === "conversations.info" && c.args.channel === channel).length;

  it("asks once for many lookups at once, then answers from memory until the TTL is over", async () => {
    let now = 1_000_000;
    const names = new SlackNames({ slack: caller, logger: createLogger({ level: "silent" }), ttlMs: 60_000, now: () => now });
    const answers = await Promise.all(Array.from({ length: 20 }, () => names.room(slack.channels.mobile)));
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]).toEqual({ name: "mobile", kind: "channel", topic: "The mobile app: releases, bugs, plans" });
    expect(infoCalls(slack.channels.mobile)).toBe(1);
    expect(await names.team(slack.teamId)).toBe("Piper Local");

    expect(names.roomNeedsLookup(slack.channels.mobile)).toBe(false);
    await names.room(slack.channels.mobile);
    expect(infoCalls(slack.channels.mobile)).toBe(1);
    now += 60_000;
    expect(names.roomNeedsLookup(slack.channels.mobile)).toBe(true);
    await names.room(slack.channels.mobile);
    expect(infoCalls(slack.channels.mobile)).toBe(2);
  });

  it("tells the kinds apart: DM, group DM, private, Slack Connect", async () => {
    const names = new SlackNames({ slack: caller, logger: createLogger({ level: "silent" }) });
    const shared = slack.createChannel("partners", "shared");
    expect(await names.room(slack.channels.dmWithPiper())).toEqual({ kind: "dm" });
    expect(await names.room(slack.channels.groupDm)).toMatchObject({ kind: "group_dm", name: "mpdm-alice--bob--piper-1" });
    expect(await names.room(slack.channels.privateChannel)).toMatchObject({ kind: "private", name: "leads" });
    expect(await names.room(shared)).toEqual({ kind: "shared", name: "partners" });
  });

  it("a rename wins, even over a lookup that was already on its way with the old name", async () => {
    const names = new SlackNames({ slack: caller, logger: createLogger({ level: "silent" }) });
    const room = slack.createChannel("before");
    slack.delayNext("conversations.info", 200);
    const slow = names.room(room);
    // The emulator answers the delayed call with the name it has when the delay ends: rename only the cache.
    names.renamed(room, "after");
    expect(await slow).toMatchObject({ name: "after" });
    expect(names.peekRoom(room)).toMatchObject({ name: "after" });
  });

  it("keeps what it knew when Slack fails, and does not ask again before retryAfterMs", async () => {
    let now = 5_000_000;
    const names = new SlackNames({ slack: caller, logger: createLogger({ level: "silent" }), ttlMs: 1_000, retryAfterMs: 30_000, now: () => now });
    expect(await names.room(slack.channels.random)).toMatchObject({ name: "random" });
    now += 1_000;
    slack.failNext("conversations.info", "internal_error");
    expect(await names.room(slack.channels.random)).toMatchObject({ name: "random" });
    const calls = infoCalls(slack.channels.random);
    now += 29_000;
    expect(await names.room(slack.channels.random)).toMatchObject({ name: "random" });
    expect(infoCalls(slack.channels.random)).toBe(calls);
    now += 1_000;
    await names.room(slack.channels.random);
    expect(infoCalls(slack.channels.random)).toBe(calls + 1);
  });

  it("names rooms at Slack's pace: a burst past it waits its turn, and a flood past the waiting room is not queued", async () => {
    const [a, b, c, d] = ["pace-a", "pace-b", "pace-c", "pace-d"].map((n) => slack.createChannel(n));
    const startedAt = Date.now();
    // Two at once, then one every 100 ms; one may wait.
    const names = new SlackNames({ slack: caller, logger: createLogger({ level: "silent" }), burst: 2, perMinute: 600, maxWaiting: 1, concurrency: 10 });
    const [ra, rb, rc, rd] = [a, b, c, d].map((room) => names.room(room!));
    expect(await rd).toBeUndefined();
    expect(await Promise.all([ra, rb, rc])).toMatchObject([{ name: "pace-a" }, { name: "pace-b" }, { name: "pace-c" }]);
    const third = slack.calls.find((call) => call.method === "conversations.info" && call.args.channel === c)!;
    expect(third.at - startedAt).toBeGreaterThanOrEqual(95);
    // The flooded sight was not remembered: the next one asks Slack.
    expect(infoCalls(d!)).toBe(0);
    expect(names.roomNeedsLookup(d!)).toBe(true);
    expect(await names.room(d!)).toMatchObject({ name: "pace-d" });
    names.close();
  });
});
