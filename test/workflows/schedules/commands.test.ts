// The schedule commands' answers, on a real database: the zone comes from the person (or PIPER_TIME_ZONE), and
// without a standup to run a schedule is refused while show and off still work.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../../src/logger.js";
import type { Inbound } from "../../../src/slack/inbound.js";
import { STANDUPS_UNAVAILABLE, StandupScheduleCommands } from "../../../src/workflows/schedules/commands.js";
import { scheduleCommand } from "../../../src/workflows/schedules/parse.js";
import { ScheduleStore } from "../../../src/workflows/schedules/store.js";
import { createTestDatabase, type TestDatabase } from "../../support/database.js";

const logger = createLogger({ level: "silent" });
// Sunday 1 March 2026, noon UTC.
const NOW = new Date("2026-03-01T12:00:00Z");

function inbound(channel: string, user = "U1"): Inbound {
  return { id: `req-${channel}`, source: "slash", territory: "T1", room: { id: channel, kind: "channel" }, user, text: "", history: [] };
}

describe("standup schedule commands", () => {
  let db: TestDatabase;
  let store: ScheduleStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    store = new ScheduleStore(db.prisma);
  });
  afterAll(async () => db?.dispose());

  const commands = (over: Partial<ConstructorParameters<typeof StandupScheduleCommands>[0]> = {}) =>
    new StandupScheduleCommands({ store, timeZoneOf: async () => "Asia/Tokyo", fallbackTimeZone: "UTC", available: () => true, logger, now: () => NOW, ...over });
  const run = async (c: StandupScheduleCommands, text: string, channel: string) => (await c.handle(scheduleCommand(text)!, inbound(channel))).text;

  it("keeps the setter's zone and says when the first one is", async () => {
    expect(await run(commands(), "standup every weekday 9:30", "C1")).toBe(
      "Scheduled: a standup in this channel every weekday at 9:30 (Asia/Tokyo). The first one is Monday 2 March at 9:30. `/piper standup schedule` shows it; `/piper standup off` stops it.",
    );
    expect((await store.get("T1", "C1"))?.timeZone).toBe("Asia/Tokyo");
  });

  it("falls back to PIPER_TIME_ZONE, and says so, when Slack has no zone for the person or can't be asked", async () => {
    expect(await run(commands({ timeZoneOf: async () => undefined }), "standup every day 9am", "C2")).toContain("every day at 9:00 (UTC). _Slack didn't tell me your time zone, so I used UTC._");
    expect(await run(commands({ timeZoneOf: async () => Promise.reject(new Error("users.info failed")), fallbackTimeZone: "Europe/Paris" }), "standup every day 9am", "C3")).toContain("(Europe/Paris)");
    expect(await run(commands({ timeZoneOf: async () => "Not/AZone" }), "standup every day 9am", "C4")).toContain("(UTC)");
  });

  it("shows nothing, then a schedule, then that it is off", async () => {
    const c = commands();
    expect(await run(c, "standup schedule", "C5")).toContain("This channel has no scheduled standup.");
    expect(await run(c, "standup off", "C5")).toBe("There's no scheduled standup in this channel to stop.");
    await run(c, "standup mon,wed,fri at 10:15", "C5");
    expect(await run(c, "standup schedule", "C5")).toBe(
      "This channel has a standup every Monday, Wednesday and Friday at 10:15 (Asia/Tokyo). The next one is Monday 2 March at 10:15. `/piper standup off` stops it.",
    );
    expect(await run(c, "standup off", "C5")).toContain("Scheduled standups are off in this channel (it was every Monday, Wednesday and Friday at 10:15 (Asia/Tokyo)).");
    expect(await run(c, "standup schedule", "C5")).toContain("This channel's scheduled standup is off");
  });

  it("without a standup in this Piper, refuses to set one; show and off still answer", async () => {
    const c = commands({ available: () => false });
    expect(await run(c, "standup every weekday 9:30", "C6")).toBe(STANDUPS_UNAVAILABLE);
    expect(await store.get("T1", "C6")).toBeNull();
    await run(commands(), "standup every weekday 9:30", "C7");
    expect(await run(c, "standup schedule", "C7")).toContain("The standup itself isn't available in this Piper right now, so nothing will be posted.");
    expect(await run(c, "standup off", "C7")).toContain("Scheduled standups are off");
  });

  it("an unreadable schedule is answered with what was understood", async () => {
    expect(await run(commands(), "standup every weekday at 9", "C8")).toBe("I understood 'every weekday' but not the time — say `9:30` or `9:30am`");
  });
});
