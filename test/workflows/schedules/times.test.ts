// Slots are wall-clock times in the schedule's zone: due today once the time has come, never for an earlier day.
import { describe, expect, it } from "vitest";
import { describeInstant, dueSlot, nextSlot, zonedInstant } from "../../../src/workflows/schedules/times.js";

const berlinWeekdays = { days: [1, 2, 3, 4, 5], time: "09:30", timeZone: "Europe/Berlin", activeSince: new Date("2026-01-01T00:00:00Z") };

describe("slots in a time zone", () => {
  it("is due from 9:30 Berlin time on a weekday, in winter and in summer", () => {
    // Monday 2 March 2026: CET, UTC+1.
    expect(dueSlot(berlinWeekdays, new Date("2026-03-02T08:29:59Z"))).toBeUndefined();
    expect(dueSlot(berlinWeekdays, new Date("2026-03-02T08:30:00Z"))).toEqual(new Date("2026-03-02T08:30:00Z"));
    expect(dueSlot(berlinWeekdays, new Date("2026-03-02T22:59:00Z"))).toEqual(new Date("2026-03-02T08:30:00Z"));
    // Wednesday 1 July 2026: CEST, UTC+2.
    expect(dueSlot(berlinWeekdays, new Date("2026-07-01T07:45:00Z"))).toEqual(new Date("2026-07-01T07:30:00Z"));
  });

  it("is never due for an earlier day: after midnight in the zone, yesterday's slot is gone", () => {
    // 23:30 UTC on Monday is already Tuesday 00:30 in Berlin, before Tuesday's 9:30.
    expect(dueSlot(berlinWeekdays, new Date("2026-03-02T23:30:00Z"))).toBeUndefined();
    // Saturday: no slot at all.
    expect(dueSlot(berlinWeekdays, new Date("2026-03-07T12:00:00Z"))).toBeUndefined();
  });

  it("doesn't count a slot from before the schedule was set", () => {
    const setAtTen = { ...berlinWeekdays, activeSince: new Date("2026-03-02T09:00:00Z") };
    expect(dueSlot(setAtTen, new Date("2026-03-02T09:05:00Z"))).toBeUndefined();
    expect(nextSlot(setAtTen, new Date("2026-03-02T09:05:00Z"))).toEqual(new Date("2026-03-03T08:30:00Z"));
  });

  it("finds the next slot over a weekend and across the change to summer time", () => {
    // Friday 27 March 2026 after the slot → Monday 30 March, after the clocks went forward on Sunday 29th.
    const next = nextSlot(berlinWeekdays, new Date("2026-03-27T10:00:00Z"))!;
    expect(next).toEqual(new Date("2026-03-30T07:30:00Z"));
    expect(describeInstant(next, "Europe/Berlin")).toBe("Monday 30 March at 9:30");
  });

  it("places a wall-clock time that DST skips on the same day", () => {
    const slot = zonedInstant({ year: 2026, month: 3, day: 29 }, 2, 30, "Europe/Berlin");
    expect(slot.toISOString().slice(0, 10)).toBe("2026-03-29");
  });
});
