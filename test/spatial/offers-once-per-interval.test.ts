// Opt-in offers on a real database: one offer per watched room per interval however many instances see the risk at once; never in an unwatched room.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { DEFAULT_ATTENTION_CONFIG, emptyAttention, observe, type RoomAttention } from "../../src/spatial/attention.js";
import { intervalText, messageLink, OFFER_QUESTIONS_ACTION_ID, OfferService, RoomWatch, type OfferSlack, type OfferMinRisk } from "../../src/spatial/offers.js";
import type { Inbound } from "../../src/slack/inbound.js";
import type { MessageBody } from "../../src/slack/poster.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";

const logger = createLogger({ level: "silent" });
const HOUR = 3_600_000;
const INTERVAL = 10 * 60_000;
const T0 = Date.parse("2025-06-02T10:00:00Z");
const TEAM = "T_OFFERS";

function inbound(channel: string, kind: Inbound["room"]["kind"] = "channel"): Inbound {
  return { id: `slash-${channel}`, source: "slash", territory: TEAM, room: { id: channel, kind }, user: "U_ALICE", text: "watch", history: [] };
}

/** Messages folded in with the real model, `at` ms each. */
function roomState(messages: Array<{ text: string; at: number; user?: string; ts?: string; threadTs?: string }>): RoomAttention {
  let state = emptyAttention(messages[0]?.at ?? T0);
  for (const [i, m] of messages.entries()) {
    state = observe(state, { user: m.user ?? `U${i}`, ts: m.ts ?? `${m.at / 1000}.000${i}`, threadTs: m.threadTs, text: m.text, mentionsPiper: false, isDm: false, at: m.at }, DEFAULT_ATTENTION_CONFIG);
  }
  return state;
}

/** Records what would go to Slack; auth.test answers with the workspace address. A seam of Piper's own, not the SDK. */
class RecordingSlack {
  posts: Array<{ channel: string; threadTs?: string; body: MessageBody }> = [];
  authTests = 0;
  postMessage: OfferSlack["postMessage"] = async (channel, threadTs, body) => {
    this.posts.push({ channel, threadTs, body });
    return { channel, ts: `${this.posts.length}.000100` };
  };
  call = (async (method: string, fn: (client: unknown) => Promise<unknown>) => {
    if (method !== "auth.test") throw new Error(`unexpected ${method}`);
    this.authTests++;
    return fn({ auth: { test: async () => ({ ok: true, url: "https://acme.slack.com/" }) } });
  }) as OfferSlack["call"];
}

describe("offers in watched rooms", () => {
  let db: TestDatabase;
  let now = T0;
  const clock = () => now;
  const states = new Map<string, unknown>();
  const rooms = { get: async (_t: string, room: string) => (states.has(room) ? { state: states.get(room) } : undefined) };

  function service(watched: { isWatched(t: string, r: string): boolean }, slack = new RecordingSlack(), minRisk: OfferMinRisk = "high") {
    return { slack, offers: new OfferService({ sql: db.sql, watched, rooms, slack, logger, intervalMs: INTERVAL, minRisk, now: clock }) };
  }

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.dispose());

  // Three urgent words in one message: high risk at once.
  const urgent = () => roomState([{ text: "prod is down 🔥 can anyone look?", at: now - 1_000 }]);

  it("watch and unwatch set the room's flag (creating its rows), reply in a sentence, and refuse a DM", async () => {
    const watch = new RoomWatch({ prisma: db.prisma, intervalMs: 2 * HOUR });
    const on = await watch.watch(inbound("C_WATCHED"), true);
    expect(on.text).toBe(
      "I'm watching <#C_WATCHED> now: when questions wait too long or something looks urgent, I'll offer help here — at most once every 2 hours. `/piper unwatch` stops it.",
    );
    expect((await watch.watch(inbound("C_WATCHED"), true)).text).toMatch(/^I'm already watching <#C_WATCHED> now/);
    expect(watch.isWatched(TEAM, "C_WATCHED")).toBe(true);
    const row = await db.prisma.room.findFirstOrThrow({ where: { slackChannelId: "C_WATCHED" }, include: { territory: true } });
    expect(row).toMatchObject({ watched: true, kind: "channel", lastOfferAt: null, territory: { slackTeamId: TEAM } });

    await watch.watch(inbound("C_ONCE"), true);
    expect((await watch.watch(inbound("C_ONCE"), false)).text).toBe("Stopped watching <#C_ONCE>: I won't offer help here unless someone says `/piper watch` again.");
    expect((await watch.watch(inbound("C_QUIET"), false)).text).toMatch(/^I wasn't watching <#C_QUIET>/);
    expect(watch.isWatched(TEAM, "C_ONCE")).toBe(false);
    expect((await db.prisma.room.findFirstOrThrow({ where: { slackChannelId: "C_ONCE" } })).watched).toBe(false);

    const dm = await watch.watch(inbound("D_ALICE", "dm"), true);
    expect(dm.text).toMatch(/^I can only watch channels/);
    expect(await db.prisma.room.findFirst({ where: { slackChannelId: "D_ALICE" } })).toBeNull();

    // Another instance (or this one after a restart) reads the watched rooms once.
    const fresh = new RoomWatch({ prisma: db.prisma, intervalMs: 2 * HOUR });
    await fresh.load();
    expect([fresh.isWatched(TEAM, "C_WATCHED"), fresh.isWatched(TEAM, "C_ONCE"), fresh.isWatched(TEAM, "C_QUIET")]).toEqual([true, false, false]);
    expect(fresh.size).toBe(1);
    expect(intervalText(INTERVAL)).toBe("10 minutes");
    expect(intervalText(24 * HOUR)).toBe("1 day");
  });

  it("two instances seeing the same high-risk watched room at once: exactly one offers; none again within the interval; one more after it", async () => {
    const watch = new RoomWatch({ prisma: db.prisma, intervalMs: INTERVAL });
    await watch.load();
    const a = service(watch);
    const b = service(watch);
    const state = urgent();

    const first = await Promise.all([a.offers.consider(TEAM, "C_WATCHED", state), b.offers.consider(TEAM, "C_WATCHED", state)]);
    expect(first.sort()).toEqual(["claimed-elsewhere", "offered"]);
    const posts = [...a.slack.posts, ...b.slack.posts];
    expect(posts).toHaveLength(1);
    const roomId = (await db.prisma.room.findFirstOrThrow({ where: { slackChannelId: "C_WATCHED" } })).id;
    const offer = posts[0]!;
    expect(offer.channel).toBe("C_WATCHED");
    expect(offer.threadTs).toBeUndefined();
    expect(offer.body.text).toMatch(/^This channel looks like it could use a hand: .*urgent word.*\. Want the list of questions still waiting for an answer\?$/);
    expect(offer.body.blocks).toContainEqual({
      type: "actions",
      elements: [{ type: "button", action_id: OFFER_QUESTIONS_ACTION_ID, text: { type: "plain_text", text: "Show open questions" }, value: roomId }],
    });
    expect((await db.prisma.room.findUniqueOrThrow({ where: { id: roomId } })).lastOfferAt?.getTime()).toBe(T0);

    // Within the interval: neither instance offers, nor a third that has no memory of the claim (the database says no).
    now = T0 + INTERVAL - 1;
    const c = service(watch);
    expect(await a.offers.consider(TEAM, "C_WATCHED", urgent())).toBe("too-soon");
    expect(await b.offers.consider(TEAM, "C_WATCHED", urgent())).toBe("too-soon");
    expect(await c.offers.consider(TEAM, "C_WATCHED", urgent())).toBe("claimed-elsewhere");
    expect(a.slack.posts.length + b.slack.posts.length + c.slack.posts.length).toBe(1);

    // The interval has passed: one more offer, again from exactly one of them.
    now = T0 + INTERVAL;
    const second = await Promise.all([a, b, c].map((s) => s.offers.consider(TEAM, "C_WATCHED", urgent())));
    expect(second.filter((o) => o === "offered")).toHaveLength(1);
    expect(a.slack.posts.length + b.slack.posts.length + c.slack.posts.length).toBe(2);
    expect((await db.prisma.room.findUniqueOrThrow({ where: { id: roomId } })).lastOfferAt?.getTime()).toBe(T0 + INTERVAL);
  });

  it("an unwatched room never gets an offer, even from an instance that still thinks it is watched", async () => {
    now = T0 + 10 * INTERVAL;
    const watch = new RoomWatch({ prisma: db.prisma, intervalMs: INTERVAL });
    await watch.load();
    const honest = service(watch);
    expect(await honest.offers.consider(TEAM, "C_ONCE", urgent())).toBe("unwatched");
    expect(await honest.offers.consider(TEAM, "C_NEVER_SEEN", urgent())).toBe("unwatched");
    // Unwatched on another instance after this one loaded: the claim checks `watched` in the database.
    const stale = service({ isWatched: () => true });
    expect(await stale.offers.consider(TEAM, "C_ONCE", urgent())).toBe("claimed-elsewhere");
    expect(await stale.offers.consider(TEAM, "C_NEVER_SEEN", urgent())).toBe("claimed-elsewhere");
    expect(honest.slack.posts.length + stale.slack.posts.length).toBe(0);
    expect((await db.prisma.room.findFirstOrThrow({ where: { slackChannelId: "C_ONCE" } })).lastOfferAt).toBeNull();
  });

  it("offers at the configured risk: a medium-risk room only when PIPER_OFFER_MIN_RISK is medium; a calm room never", async () => {
    const watch = new RoomWatch({ prisma: db.prisma, intervalMs: INTERVAL });
    await watch.watch(inbound("C_MEDIUM"), true);
    now = T0 + 20 * INTERVAL;
    const medium = roomState([{ text: "the release is a blocker for us", at: now - 1_000 }]);
    const calm = roomState([{ text: "morning all", at: now - 1_000 }]);
    const high = service(watch, new RecordingSlack(), "high");
    const lower = service(watch, new RecordingSlack(), "medium");
    expect(await high.offers.consider(TEAM, "C_MEDIUM", calm)).toBe("calm");
    expect(await lower.offers.consider(TEAM, "C_MEDIUM", calm)).toBe("calm");
    expect(await high.offers.consider(TEAM, "C_MEDIUM", medium)).toBe("calm");
    expect(await lower.offers.consider(TEAM, "C_MEDIUM", medium)).toBe("offered");
    expect(lower.slack.posts[0]!.body.text).toContain("'blocker'");
  });

  it("a failed post is logged, not thrown, and the claim stands", async () => {
    const watch = new RoomWatch({ prisma: db.prisma, intervalMs: INTERVAL });
    await watch.watch(inbound("C_REFUSES"), true);
    now = T0 + 30 * INTERVAL;
    const slack = new RecordingSlack();
    slack.postMessage = async () => {
      throw new Error("not_in_channel");
    };
    const { offers } = service(watch, slack);
    expect(await offers.consider(TEAM, "C_REFUSES", urgent())).toBe("failed");
    expect(await offers.consider(TEAM, "C_REFUSES", urgent())).toBe("too-soon");
    await offers.settled();
  });

  it("the button lists the room's open questions, oldest first, linked, with how long each has waited", async () => {
    now = T0 + 40 * INTERVAL;
    const start = now - 3 * HOUR;
    states.set(
      "C_WATCHED",
      roomState([
        { text: "is anyone on this?", at: start, user: "U_BOB", ts: "1748858400.000100" },
        { text: "checkout is broken", at: start + HOUR, user: "U_CAROL", ts: "1748862000.000200" },
        { text: "can someone check the logs?", at: start + 2 * HOUR, user: "U_DAN", ts: "1748865600.000300", threadTs: "1748862000.000200" },
      ]),
    );
    const watch = new RoomWatch({ prisma: db.prisma, intervalMs: INTERVAL });
    await watch.load();
    const { offers, slack } = service(watch);
    const roomId = (await db.prisma.room.findFirstOrThrow({ where: { slackChannelId: "C_WATCHED" } })).id;

    const list = await offers.openQuestions(roomId, "C_WATCHED");
    expect(list.text).toBe(
      [
        "2 questions here are still waiting for an answer:",
        "• <https://acme.slack.com/archives/C_WATCHED/p1748858400000100|Question> from <@U_BOB>, waiting 3 h",
        "• <https://acme.slack.com/archives/C_WATCHED/p1748865600000300?thread_ts=1748862000.000200&cid=C_WATCHED|Question> from <@U_DAN>, waiting 1 h",
      ].join("\n"),
    );
    expect(messageLink("https://acme.slack.com", "C1", { ts: "1.000200" })).toBe("https://acme.slack.com/archives/C1/p1000200");

    // The workspace address is asked once; a room without questions says so; a button from another channel shows nothing of this room.
    states.set("C_WATCHED", roomState([{ text: "all good now", at: now - 1_000 }]));
    expect(await offers.openQuestions(roomId, "C_WATCHED")).toEqual({ text: "No open questions now." });
    expect((await offers.openQuestions(roomId, "C_OTHER")).text).toMatch(/another channel/);
    expect(slack.authTests).toBe(1);
  });
});
