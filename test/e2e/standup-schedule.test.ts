// Scheduled standups through the emulator (real Bolt, real signing, real pg-boss): set with `/piper standup every
// weekday 9:30` in the setter's time zone and said in the channel, shown, posted once at its slot, and stopped.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoredMessage } from "../../src/local/index.js";
import { slotKey, type StandupRunner } from "../../src/workflows/schedules/scheduler.js";
import { TICK_CRON, TICK_QUEUE } from "../../src/workflows/schedules/tick-job.js";
import { nextSlot } from "../../src/workflows/schedules/times.js";
import { askInThread, startTestPiper, type TestPiper } from "../support/piper.js";

/** Until the standup itself is merged, a stand-in with a fixed body (the schedule is what is under test). */
const standup: StandupRunner = async ({ channelId }) => ({
  text: `Standup for ${channelId}: 3 pull requests merged, 1 blocked issue.`,
  blocks: [{ type: "section", text: { type: "mrkdwn", text: `*Standup* for ${channelId}: 3 pull requests merged, 1 blocked issue.` } }],
});

const textOf = (body: unknown) => JSON.stringify(body);

describe("scheduled standups through Slack", () => {
  let piper: TestPiper;
  beforeAll(async () => {
    piper = await startTestPiper({ runStandup: standup });
  });
  afterAll(async () => piper?.close());

  const slack = () => piper.slackLocal;
  const withKey = (channel: string, key: string) => slack().messages(channel).filter((m: StoredMessage) => m.metadata?.event_payload?.key === key);

  /** A slash command's one answer through response_url. */
  async function slash(channel: string, text: string, user?: string): Promise<{ response_type?: string; text?: string }> {
    const res = await slack().slashCommand({ channel, text, user });
    expect(res.status).toBe(200);
    const responses = await res.responses;
    expect(responses).toHaveLength(1);
    return responses[0] as { response_type?: string; text?: string };
  }

  it("registers the one every-minute cron job with pg-boss at start", async () => {
    const { rows } = await piper.db.sql.executeSql("SELECT name, cron, timezone FROM pgboss.schedule WHERE name = $1", [TICK_QUEUE]);
    expect(rows).toEqual([{ name: TICK_QUEUE, cron: TICK_CRON, timezone: "UTC" }]);
  });

  it("a standup-tick job on the queue runs the tick: a slot due now is posted once", async () => {
    const channel = slack().createChannel("tick-job");
    // Due at this very minute (UTC), whatever the clock says: the job's tick reads the real clock.
    const now = new Date();
    const time = `${String(now.getUTCHours()).padStart(2, "0")}:${String(now.getUTCMinutes()).padStart(2, "0")}`;
    const row = await piper.db.prisma.standupSchedule.create({
      data: { slackTeamId: slack().teamId, channelId: channel, days: [0, 1, 2, 3, 4, 5, 6], time, timeZone: "UTC", createdBy: slack().users.alice, activeSince: new Date(now.getTime() - 3_600_000) },
    });
    const slot = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
    await piper.jobs.send(TICK_QUEUE, {});
    await slack().waitFor(() => withKey(channel, slotKey(row.id, slot)).length > 0, { timeoutMs: 60_000 });
    await expect.poll(async () => (await piper.db.prisma.standupSchedule.findUniqueOrThrow({ where: { id: row.id } })).postedSlot, { timeout: 30_000 }).toEqual(slot);
    expect(withKey(channel, slotKey(row.id, slot))).toHaveLength(1);
    await piper.db.prisma.standupSchedule.update({ where: { id: row.id }, data: { active: false } });
  });

  it("sets a schedule in the setter's zone for the channel to see, shows it, posts one standup at its slot, and stops", async () => {
    const channel = slack().createChannel("team-standup");
    const set = await slash(channel, "standup every weekday 9:30");
    expect(set.response_type).toBe("in_channel");
    // Alice's Slack profile says Europe/Berlin (users.info tz).
    expect(textOf(set)).toContain("Scheduled: a standup in this channel every weekday at 9:30 (Europe/Berlin).");
    expect(textOf(set)).toMatch(/The first one is (Monday|Tuesday|Wednesday|Thursday|Friday) \d+ \w+ at 9:30\./);

    const row = await piper.db.prisma.standupSchedule.findFirstOrThrow({ where: { channelId: channel } });
    expect(row).toMatchObject({ slackTeamId: slack().teamId, days: [1, 2, 3, 4, 5], time: "09:30", timeZone: "Europe/Berlin", createdBy: slack().users.alice, active: true });

    const shown = await slash(channel, "standup schedule", slack().users.bob);
    expect(shown.response_type).toBe("in_channel");
    expect(textOf(shown)).toContain("This channel has a standup every weekday at 9:30 (Europe/Berlin).");
    expect(textOf(shown)).toContain("The next one is");

    // The tick the cron job runs, at the schedule's next slot (an injected clock, not a wait for 9:30).
    const slot = nextSlot(row, new Date())!;
    const ticked = await piper.standupScheduler.tick(slot);
    expect(ticked.posted.map((p) => p.channelId)).toEqual([channel]);
    expect(await piper.standupScheduler.tick(new Date(slot.getTime() + 60_000))).toEqual({ posted: [], failed: [] });
    const posts = withKey(channel, slotKey(row.id, slot));
    expect(posts).toHaveLength(1);
    expect(posts[0]!.text).toContain(`Standup for ${channel}`);
    expect(posts[0]!.thread_ts).toBeUndefined();
    expect(textOf(posts[0]!.blocks)).toContain("Scheduled standup, every weekday at 9:30 (Europe/Berlin)");

    const off = await slash(channel, "standup off");
    expect(off.response_type).toBe("in_channel");
    expect(textOf(off)).toContain("Scheduled standups are off in this channel (it was every weekday at 9:30 (Europe/Berlin))");
    const dayLater = nextSlot({ ...row, activeSince: slot }, slot)!;
    expect(await piper.standupScheduler.tick(dayLater)).toEqual({ posted: [], failed: [] });
    expect(withKey(channel, slotKey(row.id, dayLater))).toHaveLength(0);
    expect(textOf(await slash(channel, "standup schedule"))).toContain("This channel's scheduled standup is off");
  });

  it("a mention sets it too, in the thread, in the zone of whoever asked; a schedule it can't read is explained only to the asker", async () => {
    const channel = slack().createChannel("mobile-standup");
    const { reply, intent } = await askInThread(piper, channel, "standup every mon,wed,fri at 10:15");
    expect(reply.text).toContain("Scheduled: a standup in this channel every Monday, Wednesday and Friday at 10:15 (Europe/Berlin).");
    expect(intent).toMatchObject({ category: "STATUS", action: "standup", source: "pre" });

    // Bob is in New York: setting it again replaces it, in his zone.
    const again = await slash(channel, "standup every day at 8am", slack().users.bob);
    expect(textOf(again)).toContain("every day at 8:00 (America/New_York)");
    expect(await piper.db.prisma.standupSchedule.count({ where: { channelId: channel } })).toBe(1);

    const unreadable = await slash(channel, "standup every weekday");
    expect(unreadable.response_type).toBe("ephemeral");
    expect(textOf(unreadable)).toContain("I understood 'every weekday' but not the time — say `9:30` or `9:30am`");
  });
});
