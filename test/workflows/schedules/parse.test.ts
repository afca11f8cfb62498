// The schedule commands are read deterministically: what is understood, and what is said when it isn't.
import { describe, expect, it } from "vitest";
import { describeWhen, parseWhen, scheduleCommand, storedTime } from "../../../src/workflows/schedules/parse.js";

const WEEKDAYS = [1, 2, 3, 4, 5];

describe("scheduleCommand", () => {
  it.each([
    ["standup every weekday 9:30", WEEKDAYS, 9, 30],
    ["standup every day 9am", [0, 1, 2, 3, 4, 5, 6], 9, 0],
    ["standup mon,wed,fri at 10:15", [1, 3, 5], 10, 15],
    ["standup every weekday at 17:00", WEEKDAYS, 17, 0],
    ["Standup every weekday at 5:30pm", WEEKDAYS, 17, 30],
    ["standup weekdays 9.30", WEEKDAYS, 9, 30],
    ["standup every monday and thursday at 9:05 am", [1, 4], 9, 5],
    ["standup mon-fri 08:45", WEEKDAYS, 8, 45],
    ["standup on tuesdays at noon", [2], 12, 0],
    ["standup on weekdays at 9:30", WEEKDAYS, 9, 30],
    ["standup thursday 9:30am", [4], 9, 30],
    ["standup daily at 12am", [0, 1, 2, 3, 4, 5, 6], 0, 0],
    ["@piper stand-up every Mon, Wed & Fri at 10:15", [1, 3, 5], 10, 15],
  ])("%s", (text, days, hour, minute) => {
    expect(scheduleCommand(text)).toEqual({ kind: "set", when: { days, hour, minute } });
  });

  it("reads show and off", () => {
    expect(scheduleCommand("standup schedule")).toEqual({ kind: "show" });
    expect(scheduleCommand("standup schedule?")).toEqual({ kind: "show" });
    expect(scheduleCommand("standup off")).toEqual({ kind: "off" });
    expect(scheduleCommand("standup stop")).toEqual({ kind: "off" });
  });

  it("leaves a standup that isn't about its schedule to the standup", () => {
    for (const text of ["standup", "standup for web", "standup on web", "standup monthly", "standup at the office", "standup acme/mobile", "what's the standup", "every weekday 9:30", "schedule"]) {
      expect(scheduleCommand(text), text).toBeUndefined();
    }
  });

  it("says what it understood when the time is missing or isn't one", () => {
    expect(scheduleCommand("standup every weekday")).toEqual({ kind: "invalid", message: "I understood 'every weekday' but not the time — say `9:30` or `9:30am`" });
    expect(scheduleCommand("standup every day 9")).toEqual({ kind: "invalid", message: "I understood 'every day' but not the time — say `9:30` or `9:30am`" });
    expect(scheduleCommand("standup every weekday 25:00")).toEqual({ kind: "invalid", message: "'25:00' isn't a time of day — say `9:30` or `9:30am`" });
    expect(scheduleCommand("standup every weekday 9:75")).toMatchObject({ kind: "invalid", message: expect.stringContaining("'9:75' isn't a time of day") });
    expect(scheduleCommand("standup every weekday 13pm")).toMatchObject({ kind: "invalid", message: expect.stringContaining("'13pm' isn't a time of day") });
  });

  it("says what it understood when the days are missing or aren't days", () => {
    expect(scheduleCommand("standup at 9:30")).toMatchObject({ kind: "invalid", message: expect.stringContaining("I understood the time (9:30) but not which days") });
    expect(scheduleCommand("standup every blursday 9:30")).toMatchObject({ kind: "invalid", message: expect.stringContaining("but not the days 'every blursday'") });
    expect(scheduleCommand("standup every fortnight")).toMatchObject({ kind: "invalid", message: expect.stringContaining("I couldn't read 'every fortnight' as a schedule") });
  });
});

describe("describing a schedule", () => {
  it("says the days and time the way people write them", () => {
    expect(describeWhen(WEEKDAYS, "09:30")).toBe("every weekday at 9:30");
    expect(describeWhen([0, 1, 2, 3, 4, 5, 6], "09:00")).toBe("every day at 9:00");
    expect(describeWhen([1, 3, 5], "10:15")).toBe("every Monday, Wednesday and Friday at 10:15");
    expect(describeWhen([2], "17:00")).toBe("every Tuesday at 17:00");
    expect(storedTime(parseWhen("every day 7:05pm"))).toBe("19:05");
  });
});
