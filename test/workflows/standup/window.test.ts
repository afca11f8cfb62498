// Pins "yesterday" for a standup: the previous working day in the channel's zone (Monday covers Friday–Sunday), across DST changes.
import { describe, expect, it } from "vitest";
import { describeWindow, inWindow, standupWindow } from "../../../src/workflows/standup/window.js";

describe("the standup's window", () => {
  it("on a Monday covers Friday, Saturday and Sunday, midnight to midnight in the zone", () => {
    const w = standupWindow(new Date("2026-03-16T09:00:00Z"), "Europe/London");
    expect(w.days).toEqual(["2026-03-13", "2026-03-14", "2026-03-15"]);
    expect(w.from.toISOString()).toBe("2026-03-13T00:00:00.000Z");
    expect(w.to.toISOString()).toBe("2026-03-16T00:00:00.000Z");
    expect(describeWindow(w)).toBe("Fri 13 Mar – Sun 15 Mar");
  });

  it("on a Tuesday covers Monday only", () => {
    const w = standupWindow(new Date("2026-03-17T08:30:00Z"), "America/New_York");
    expect(w.days).toEqual(["2026-03-16"]);
    expect(w.from.toISOString()).toBe("2026-03-16T04:00:00.000Z"); // EDT, UTC-4
    expect(w.to.toISOString()).toBe("2026-03-17T04:00:00.000Z");
    expect(describeWindow(w)).toBe("Mon 16 Mar");
  });

  it("reads today in the channel's zone, not UTC's: early Tuesday in Tokyo is still Monday in UTC", () => {
    const w = standupWindow(new Date("2026-03-16T20:00:00Z"), "Asia/Tokyo"); // Tue 17 Mar, 05:00 in Tokyo
    expect(w.today).toBe("2026-03-17");
    expect(w.days).toEqual(["2026-03-16"]);
    expect(w.from.toISOString()).toBe("2026-03-15T15:00:00.000Z");
  });

  it("a Monday after the clocks went forward on Sunday is 71 hours long, and after they went back 73", () => {
    const spring = standupWindow(new Date("2026-03-30T10:00:00Z"), "Europe/London"); // BST began Sun 29 Mar 01:00
    expect(spring.from.toISOString()).toBe("2026-03-27T00:00:00.000Z");
    expect(spring.to.toISOString()).toBe("2026-03-29T23:00:00.000Z");
    expect((spring.to.getTime() - spring.from.getTime()) / 3_600_000).toBe(71);
    const autumn = standupWindow(new Date("2026-10-26T10:00:00Z"), "Europe/London"); // GMT again from Sun 25 Oct 02:00
    expect(autumn.from.toISOString()).toBe("2026-10-22T23:00:00.000Z");
    expect((autumn.to.getTime() - autumn.from.getTime()) / 3_600_000).toBe(73);
  });

  it("where DST skips midnight, the day starts at its first instant (Santiago)", () => {
    // Chile's clocks went from 00:00 straight to 01:00 on Sunday 6 September 2026: that day begins at 01:00 local.
    const w = standupWindow(new Date("2026-09-06T15:00:00Z"), "America/Santiago");
    expect(w.days).toEqual(["2026-09-04", "2026-09-05"]);
    const local = new Intl.DateTimeFormat("en-GB", { timeZone: "America/Santiago", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    expect(local.format(w.to)).toBe("6, 01:00");
    expect(local.format(w.from)).toBe("4, 00:00");
  });

  it("on a Sunday covers Friday and Saturday; an unknown zone is read as UTC", () => {
    const w = standupWindow(new Date("2026-03-15T12:00:00Z"), "Mars/Olympus_Mons");
    expect(w.timeZone).toBe("UTC");
    expect(w.days).toEqual(["2026-03-13", "2026-03-14"]);
  });

  it("includes its start and excludes its end", () => {
    const w = standupWindow(new Date("2026-03-17T09:00:00Z"), "UTC");
    expect(inWindow("2026-03-16T00:00:00Z", w)).toBe(true);
    expect(inWindow("2026-03-16T23:59:59Z", w)).toBe(true);
    expect(inWindow("2026-03-17T00:00:00Z", w)).toBe(false);
    expect(inWindow(null, w)).toBe(false);
  });
});
