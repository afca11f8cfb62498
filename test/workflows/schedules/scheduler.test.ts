// The scheduler's tick with an injected clock, through a real SlackPoster into the emulator, on a real database:
// one post per slot, a missed slot once (today's only), off stops it, crashes and refusals, two instances, restarts.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../../src/db/index.js";
import { createLogger } from "../../../src/logger.js";
import { StandupScheduler, slotKey, type StandupRunner } from "../../../src/workflows/schedules/scheduler.js";
import { ScheduleStore } from "../../../src/workflows/schedules/store.js";
import { createTestDatabase, createTestServerDatabase, testServerUrl, type TestDatabase } from "../../support/database.js";
import { seededDataFolder } from "../../support/pglite-template.js";
import { posterAgainstEmulator, type PosterHarness } from "../../slack/support/poster.js";

const logger = createLogger({ level: "silent" });
const minutes = (n: number) => n * 60_000;
const at = (iso: string) => new Date(iso);
const plus = (d: Date, ms: number) => new Date(d.getTime() + ms);

// Monday 2 March 2026. Berlin is UTC+1 then: 9:30 there is 08:30Z.
const SUNDAY = at("2026-03-01T12:00:00Z");
const MON_SLOT = at("2026-03-02T08:30:00Z");
const TUE_SLOT = at("2026-03-03T08:30:00Z");
const WED_SLOT = at("2026-03-04T08:30:00Z");
const THU_SLOT = at("2026-03-05T08:30:00Z");

/** A stand-in for the standup (built separately): a fixed body, and how often it was asked. */
function stubStandup(fail?: () => Error | undefined): StandupRunner & { calls: Array<{ channelId: string; now?: Date }> } {
  const calls: Array<{ channelId: string; now?: Date }> = [];
  const run = async ({ channelId, now }: { channelId: string; now?: Date }) => {
    calls.push({ channelId, now });
    const err = fail?.();
    if (err) throw err;
    return { text: `Standup for ${channelId}`, blocks: [{ type: "section", text: { type: "mrkdwn", text: `*Standup* for ${channelId}` } }] };
  };
  return Object.assign(run, { calls });
}

describe("scheduled standups: the tick", () => {
  let harness: PosterHarness;
  let db: TestDatabase;
  let store: ScheduleStore;
  let channels = 0;
  beforeAll(async () => {
    harness = await posterAgainstEmulator();
    db = await createTestDatabase();
    store = new ScheduleStore(db.prisma);
  });
  afterAll(async () => {
    await harness?.close();
    await db?.dispose();
  });
  // Each test's clock walks the same week: earlier tests' schedules would be due again.
  beforeEach(async () => {
    await db.prisma.standupSchedule.updateMany({ data: { active: false } });
  });

  const standups = (channel: string) => harness.slack.messages(channel).filter((m) => m.bot_id !== undefined && m.text.startsWith("Standup for"));
  const newChannel = () => harness.slack.createChannel(`sched-${++channels}`);
  const scheduler = (runStandup: StandupRunner | undefined, options: { maxAttempts?: number } = {}) =>
    new StandupScheduler({ store, runStandup, poster: () => harness.poster, logger, ...options });
  const weekdaysAtNineThirty = (channel: string, since = SUNDAY) =>
    store.set({ slackTeamId: "T1", channelId: channel, days: [1, 2, 3, 4, 5], time: "09:30", timeZone: "Europe/Berlin", createdBy: "U1", now: since });

  it("posts once per slot, with the slot's key and a note saying how to stop it", async () => {
    const channel = newChannel();
    const schedule = await weekdaysAtNineThirty(channel);
    const standup = stubStandup();
    const s = scheduler(standup);
    expect((await s.tick(plus(MON_SLOT, -1_000))).posted).toEqual([]);
    expect((await s.tick(MON_SLOT)).posted).toEqual([{ scheduleId: schedule.id, channelId: channel, slot: MON_SLOT }]);
    for (const later of [plus(MON_SLOT, minutes(1)), plus(MON_SLOT, minutes(2)), at("2026-03-02T15:00:00Z")]) expect((await s.tick(later)).posted).toEqual([]);
    expect(standups(channel)).toHaveLength(1);
    const [message] = standups(channel);
    expect(message!.metadata?.event_payload).toEqual({ key: slotKey(schedule.id, MON_SLOT) });
    expect(JSON.stringify(message!.blocks)).toContain("Scheduled standup, every weekday at 9:30 (Europe/Berlin)");
    expect(standup.calls).toEqual([{ channelId: channel, now: MON_SLOT }]);

    expect((await s.tick(TUE_SLOT)).posted).toHaveLength(1);
    expect(standups(channel)).toHaveLength(2);
    const row = await db.prisma.standupSchedule.findUniqueOrThrow({ where: { id: schedule.id } });
    expect([row.lastSlot, row.postedSlot]).toEqual([TUE_SLOT, TUE_SLOT]);
  });

  it("after downtime over a slot, runs it once on start; a slot from an earlier day never runs", async () => {
    const channel = newChannel();
    await weekdaysAtNineThirty(channel);
    await scheduler(stubStandup()).tick(MON_SLOT);
    // Down from Monday afternoon until Tuesday 14:00 Berlin: a new process's first tick runs Tuesday's 9:30 once.
    const afterRestart = scheduler(stubStandup());
    expect((await afterRestart.tick(at("2026-03-03T13:00:00Z"))).posted.map((p) => p.slot)).toEqual([TUE_SLOT]);
    expect((await afterRestart.tick(at("2026-03-03T13:01:00Z"))).posted).toEqual([]);
    // Down again over Wednesday's 9:30, back on Thursday before its slot: Wednesday's is gone.
    const thursday = scheduler(stubStandup());
    expect((await thursday.tick(at("2026-03-05T07:00:00Z"))).posted).toEqual([]);
    expect((await thursday.tick(THU_SLOT)).posted.map((p) => p.slot)).toEqual([THU_SLOT]);
    expect(standups(channel)).toHaveLength(3);
    expect((await db.prisma.standupSchedule.findFirstOrThrow({ where: { channelId: channel } })).lastSlot).not.toEqual(WED_SLOT);
  });

  it("a schedule set after today's time starts tomorrow", async () => {
    const channel = newChannel();
    await weekdaysAtNineThirty(channel, plus(MON_SLOT, minutes(30)));
    const s = scheduler(stubStandup());
    expect((await s.tick(plus(MON_SLOT, minutes(31)))).posted).toEqual([]);
    expect((await s.tick(TUE_SLOT)).posted).toHaveLength(1);
  });

  it("off stops it; setting it again starts from then", async () => {
    const channel = newChannel();
    await weekdaysAtNineThirty(channel);
    const s = scheduler(stubStandup());
    await s.tick(MON_SLOT);
    expect(await store.stop("T1", channel)).toMatchObject({ channelId: channel });
    expect(await store.stop("T1", channel)).toBeUndefined();
    expect((await s.tick(TUE_SLOT)).posted).toEqual([]);
    expect((await s.tick(WED_SLOT)).posted).toEqual([]);
    await weekdaysAtNineThirty(channel, plus(WED_SLOT, minutes(5)));
    expect((await s.tick(plus(WED_SLOT, minutes(6)))).posted).toEqual([]);
    expect((await s.tick(THU_SLOT)).posted).toHaveLength(1);
    expect(standups(channel)).toHaveLength(2);
  });

  it("a claim whose post landed before its process died is found by key, not posted again", async () => {
    const channel = newChannel();
    const schedule = await weekdaysAtNineThirty(channel);
    // The dead instance claimed the slot and posted, but never recorded it.
    expect(await store.claim(schedule.id, MON_SLOT, MON_SLOT)).toBe(true);
    await harness.poster.postMessage(channel, undefined, { text: `Standup for ${channel}` }, { key: slotKey(schedule.id, MON_SLOT) });
    const standup = stubStandup();
    const s = scheduler(standup);
    // Within its lease the claim is left alone; after it, taken over: the post is found, nothing is written.
    expect((await s.tick(plus(MON_SLOT, minutes(1)))).posted).toEqual([]);
    expect((await s.tick(plus(MON_SLOT, minutes(11)))).posted).toHaveLength(1);
    expect(standup.calls).toEqual([]);
    expect(standups(channel)).toHaveLength(1);
    expect((await s.tick(plus(MON_SLOT, minutes(30)))).posted).toEqual([]);
  });

  it("a claim whose process died before posting is posted once by the next tick after the lease", async () => {
    const channel = newChannel();
    const schedule = await weekdaysAtNineThirty(channel);
    expect(await store.claim(schedule.id, MON_SLOT, MON_SLOT)).toBe(true);
    const s = scheduler(stubStandup());
    expect((await s.tick(plus(MON_SLOT, minutes(11)))).posted).toHaveLength(1);
    expect((await s.tick(plus(MON_SLOT, minutes(30)))).posted).toEqual([]);
    expect(standups(channel)).toHaveLength(1);
  });

  it("a failing standup is retried after the lease, a few times at most", async () => {
    const channel = newChannel();
    await weekdaysAtNineThirty(channel);
    const standup = stubStandup(() => new Error("GitHub is down"));
    const s = scheduler(standup, { maxAttempts: 2 });
    expect((await s.tick(MON_SLOT)).failed).toHaveLength(1);
    expect((await s.tick(plus(MON_SLOT, minutes(1)))).failed).toEqual([]);
    expect((await s.tick(plus(MON_SLOT, minutes(11)))).failed).toHaveLength(1);
    expect((await s.tick(plus(MON_SLOT, minutes(22)))).failed).toEqual([]);
    expect(standup.calls).toHaveLength(2);
    expect(standups(channel)).toEqual([]);
    // The next day is a new slot.
    expect((await scheduler(stubStandup()).tick(TUE_SLOT)).posted).toHaveLength(1);
  });

  it("a slot Slack refuses (Piper not in the channel) is not retried", async () => {
    const channel = newChannel();
    await weekdaysAtNineThirty(channel);
    harness.slack.removePiperFrom(channel);
    const standup = stubStandup();
    const s = scheduler(standup);
    const first = await s.tick(MON_SLOT);
    expect(first.failed.map((f) => (f.error as { slackError?: string }).slackError)).toEqual(["not_in_channel"]);
    expect((await s.tick(plus(MON_SLOT, minutes(11)))).failed).toEqual([]);
    expect(standup.calls).toHaveLength(1);
    harness.slack.invitePiperTo(channel);
  });

  it("without a standup to run, ticks claim and post nothing", async () => {
    const channel = newChannel();
    const schedule = await weekdaysAtNineThirty(channel);
    const s = scheduler(undefined);
    expect(s.available).toBe(false);
    expect(await s.tick(MON_SLOT)).toEqual({ posted: [], failed: [] });
    expect((await db.prisma.standupSchedule.findUniqueOrThrow({ where: { id: schedule.id } })).lastSlot).toBeNull();
  });

  it("two schedulers ticking at once on one database post each slot once", async () => {
    const chans = Array.from({ length: 5 }, newChannel);
    for (const c of chans) await weekdaysAtNineThirty(c);
    const a = scheduler(stubStandup());
    const b = scheduler(stubStandup());
    const results = await Promise.all([a.tick(MON_SLOT), b.tick(MON_SLOT), a.tick(MON_SLOT), b.tick(MON_SLOT)]);
    expect(results.flatMap((r) => r.posted)).toHaveLength(chans.length);
    for (const c of chans) expect(standups(c)).toHaveLength(1);
  });
});

// Two instances on one database is a PostgreSQL deployment (a PGlite folder has one writer): each with its own
// connection pool and Prisma client, as two Piper processes would have.
describe.skipIf(!testServerUrl())("scheduled standups: two instances on one PostgreSQL", () => {
  let harness: PosterHarness;
  let db: TestDatabase;
  let second: Database;
  beforeAll(async () => {
    harness = await posterAgainstEmulator();
    db = await createTestDatabase();
    second = await openDatabase({ kind: "postgres", url: db.url! }, logger, { migrate: false });
  });
  afterAll(async () => {
    await second?.close();
    await db?.dispose();
    await harness?.close();
  });

  it("ticking concurrently, every slot of every channel is posted exactly once", async () => {
    const chans = Array.from({ length: 8 }, (_, i) => harness.slack.createChannel(`pg-sched-${i}`));
    const first = new ScheduleStore(db.prisma);
    for (const channelId of chans) await first.set({ slackTeamId: "T1", channelId, days: [1, 2, 3, 4, 5], time: "09:30", timeZone: "Europe/Berlin", createdBy: "U1", now: SUNDAY });
    const instances = [db, second].map((d) => new StandupScheduler({ store: new ScheduleStore(d.prisma), runStandup: stubStandup(), poster: () => harness.poster, logger }));
    for (const slot of [MON_SLOT, TUE_SLOT, WED_SLOT]) {
      const ticks = await Promise.all([...instances, ...instances, ...instances].map((s, i) => s.tick(plus(slot, i * 10))));
      expect(ticks.flatMap((t) => t.posted)).toHaveLength(chans.length);
    }
    for (const c of chans) expect(harness.slack.messages(c).filter((m) => m.bot_id !== undefined)).toHaveLength(3);
  });
});

describe("scheduled standups survive a restart", () => {
  let harness: PosterHarness;
  beforeAll(async () => {
    harness = await posterAgainstEmulator();
  });
  afterAll(async () => harness?.close());

  async function survivesReopening(config: Parameters<typeof openDatabase>[0]): Promise<void> {
    const channel = harness.slack.createChannel(`restart-${config.kind}`);
    const before = await openDatabase(config, logger);
    await new ScheduleStore(before.prisma).set({ slackTeamId: "T1", channelId: channel, days: [1, 2, 3, 4, 5], time: "09:30", timeZone: "Europe/Berlin", createdBy: "U1", now: SUNDAY });
    await new StandupScheduler({ store: new ScheduleStore(before.prisma), runStandup: stubStandup(), poster: () => harness.poster, logger }).tick(MON_SLOT);
    await before.close();

    const after = await openDatabase(config, logger);
    try {
      const s = new StandupScheduler({ store: new ScheduleStore(after.prisma), runStandup: stubStandup(), poster: () => harness.poster, logger });
      // Monday's slot is remembered as run; Tuesday's comes.
      expect((await s.tick(plus(MON_SLOT, minutes(5)))).posted).toEqual([]);
      expect((await s.tick(TUE_SLOT)).posted).toHaveLength(1);
      expect(harness.slack.messages(channel).filter((m) => m.bot_id !== undefined)).toHaveLength(2);
    } finally {
      await after.close();
    }
  }

  it("on a PGlite folder, closed and opened again", async () => {
    const dataDir = seededDataFolder("piper-schedules-");
    try {
      await survivesReopening({ kind: "pglite", dataDir });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it.skipIf(!testServerUrl())("on PostgreSQL", async () => {
    const server = await createTestServerDatabase();
    try {
      await survivesReopening({ kind: "postgres", url: server!.url });
    } finally {
      await server?.dispose();
    }
  });
});
