// extractEntities: what a message names — repos, known projects, people, rooms, links, dates in the asker's zone, an issue title.
import { describe, expect, it } from "vitest";
import { extractEntities, type EntityContext } from "../../src/routing/entities.js";
import { normalizeSlackText } from "../../src/slack/message-text.js";

const NEW_YORK = "America/New_York";
const BERLIN = "Europe/Berlin";

function entities(raw: string, context: Partial<EntityContext> = {}) {
  return extractEntities(normalizeSlackText(raw), {
    knownProjects: [],
    now: new Date("2026-03-25T11:00:00Z"),
    timeZone: BERLIN,
    ...context,
  });
}

function dates(raw: string, now: string, timeZone: string) {
  return entities(raw, { now: new Date(now), timeZone }).dates;
}

describe("repos", () => {
  it("finds owner/name tokens, unique and in order, with sentence punctuation left off", () => {
    expect(entities("compare acme/web and acme/api, then Acme/Web again (and vercel/next.js).").repos).toEqual(["acme/web", "acme/api", "vercel/next.js"]);
    expect(entities("what's open in acme-corp/mobile_app.v2?").repos).toEqual(["acme-corp/mobile_app.v2"]);
  });

  it("finds the repo in github.com URLs, whether Slack shows the URL or a label", () => {
    expect(entities("see <https://github.com/acme/web/issues/12>").repos).toEqual(["acme/web"]);
    expect(entities("see <https://github.com/acme/web/issues/12|the login bug>").repos).toEqual(["acme/web"]);
    expect(entities("clone <https://github.com/acme/api.git|github.com/acme/api.git>").repos).toEqual(["acme/api"]);
  });

  it("does not take dates, fractions, slash-words or paths for repos", () => {
    for (const text of ["due 10/12", "24/7 support", "due 10/12/2026", "and/or", "w/o tests", "n/a", "ui/ux", "he/him", "src/index.ts", "a/b/c", "acme/web/issues", "@scope/pkg", "#mobile/ios", "~/notes"]) {
      expect(entities(text).repos, text).toEqual([]);
    }
  });

  it("does not take other hosts or github.com pages for repos", () => {
    expect(entities("<https://gitlab.com/acme/web> <https://example.com/acme/web|docs> github.com/orgs/acme <https://gist.github.com/bob/abc>").repos).toEqual([]);
  });
});

describe("projects", () => {
  const knownProjects = ["Mobile App", "Web", "mobile", "web-app"];

  it("finds known projects as whole words, case-insensitively, returned as stored, longest first", () => {
    expect(entities("how's the MOBILE APP doing vs web?", { knownProjects }).projects).toEqual(["Mobile App", "Web"]);
    expect(entities("mobile is late; so is the web-app.", { knownProjects }).projects).toEqual(["mobile", "web-app"]);
  });

  it("does not match inside other words, slugs or channel names", () => {
    expect(entities("webhooks for acme/web in #mobile, mobiles", { knownProjects }).projects).toEqual([]);
  });

  it("copes with names that hold regex characters", () => {
    expect(entities("how is C++ core (v2) doing?", { knownProjects: ["C++ core (v2)"] }).projects).toEqual(["C++ core (v2)"]);
  });
});

describe("people, rooms and links", () => {
  it("takes them from the message, leaving Piper out of people", () => {
    const found = entities("<@UBOT> ask <@U1|alice> and <@U2> in <#C1|mobile> about <https://x.test|the doc>", { botUserId: "UBOT" });
    expect(found.people).toEqual(["U1", "U2"]);
    expect(found.rooms).toEqual([{ id: "C1", name: "mobile" }]);
    expect(found.links).toEqual([{ url: "https://x.test", label: "the doc" }]);
  });
});

describe("dates", () => {
  it("resolves today, yesterday and tomorrow across New York's spring-forward day (a 23-hour Sunday)", () => {
    const now = "2026-03-08T15:00:00Z"; // Sunday 11:00 EDT; clocks went 02:00 → 03:00 that morning
    expect(dates("today, yesterday or tomorrow?", now, NEW_YORK)).toEqual([
      { phrase: "today", from: "2026-03-08T05:00:00.000Z", to: "2026-03-09T04:00:00.000Z" },
      { phrase: "yesterday", from: "2026-03-07T05:00:00.000Z", to: "2026-03-08T05:00:00.000Z" },
      { phrase: "tomorrow", from: "2026-03-09T04:00:00.000Z", to: "2026-03-10T04:00:00.000Z" },
    ]);
  });

  it("starts weeks on Monday: a Sunday belongs to the week before", () => {
    const sunday = "2026-03-08T15:00:00Z";
    expect(dates("this week", sunday, NEW_YORK)).toEqual([{ phrase: "this week", from: "2026-03-02T05:00:00.000Z", to: "2026-03-09T04:00:00.000Z" }]);
    expect(dates("last week", sunday, NEW_YORK)).toEqual([{ phrase: "last week", from: "2026-02-23T05:00:00.000Z", to: "2026-03-02T05:00:00.000Z" }]);
    expect(dates("next week", sunday, NEW_YORK)).toEqual([{ phrase: "next week", from: "2026-03-09T04:00:00.000Z", to: "2026-03-16T04:00:00.000Z" }]);
    const monday = "2026-03-09T15:00:00Z";
    expect(dates("this week", monday, NEW_YORK)).toEqual([{ phrase: "this week", from: "2026-03-09T04:00:00.000Z", to: "2026-03-16T04:00:00.000Z" }]);
  });

  it("reads 'today' in the asker's zone: the same instant is Sunday in New York and Monday in Berlin", () => {
    const now = "2026-03-09T03:00:00Z";
    expect(dates("today", now, NEW_YORK)[0]).toMatchObject({ from: "2026-03-08T05:00:00.000Z" });
    expect(dates("today", now, BERLIN)[0]).toMatchObject({ from: "2026-03-08T23:00:00.000Z" });
  });

  it("resolves this and last month, and a week that spans Berlin's change to summer time", () => {
    const wednesday = "2026-03-25T11:00:00Z"; // Berlin moves to CEST on Sunday 2026-03-29
    expect(dates("this week", wednesday, BERLIN)).toEqual([{ phrase: "this week", from: "2026-03-22T23:00:00.000Z", to: "2026-03-29T22:00:00.000Z" }]);
    expect(dates("this month and last month", wednesday, BERLIN)).toEqual([
      { phrase: "this month", from: "2026-02-28T23:00:00.000Z", to: "2026-03-31T22:00:00.000Z" },
      { phrase: "last month", from: "2026-01-31T23:00:00.000Z", to: "2026-02-28T23:00:00.000Z" },
    ]);
  });

  it("reads weekdays: 'by' runs from today through that day (today counts), 'on' and bare names mean the next one", () => {
    const wednesday = "2026-03-25T11:00:00Z";
    expect(dates("ship By Friday", wednesday, BERLIN)).toEqual([{ phrase: "By Friday", from: "2026-03-24T23:00:00.000Z", to: "2026-03-27T23:00:00.000Z" }]);
    expect(dates("on friday", wednesday, BERLIN)).toEqual([{ phrase: "on friday", from: "2026-03-26T23:00:00.000Z", to: "2026-03-27T23:00:00.000Z" }]);
    expect(dates("what's due friday", wednesday, BERLIN)).toEqual([{ phrase: "friday", from: "2026-03-26T23:00:00.000Z", to: "2026-03-27T23:00:00.000Z" }]);

    const friday = "2026-03-27T11:00:00Z";
    expect(dates("by friday", friday, BERLIN)).toEqual([{ phrase: "by friday", from: "2026-03-26T23:00:00.000Z", to: "2026-03-27T23:00:00.000Z" }]);
    // The Friday after the clocks change: 00:00 CEST is 22:00 UTC.
    expect(dates("on friday", friday, BERLIN)).toEqual([{ phrase: "on friday", from: "2026-04-02T22:00:00.000Z", to: "2026-04-03T22:00:00.000Z" }]);
  });

  it("reads 'since monday', 'last friday' and 'last N days' backwards from today", () => {
    const wednesday = "2026-03-25T11:00:00Z";
    expect(dates("since monday", wednesday, BERLIN)).toEqual([{ phrase: "since monday", from: "2026-03-22T23:00:00.000Z", to: "2026-03-25T23:00:00.000Z" }]);
    expect(dates("last friday", wednesday, BERLIN)).toEqual([{ phrase: "last friday", from: "2026-03-19T23:00:00.000Z", to: "2026-03-20T23:00:00.000Z" }]);
    expect(dates("in the last 7 days", wednesday, BERLIN)).toEqual([{ phrase: "last 7 days", from: "2026-03-17T23:00:00.000Z", to: "2026-03-25T23:00:00.000Z" }]);
    expect(dates("past two days", wednesday, BERLIN)).toEqual([{ phrase: "past two days", from: "2026-03-22T23:00:00.000Z", to: "2026-03-25T23:00:00.000Z" }]);
    const monday = "2026-03-23T11:00:00Z";
    expect(dates("since monday", monday, BERLIN)[0]).toMatchObject({ from: "2026-03-22T23:00:00.000Z" });
  });

  it("takes the first instant of a day whose midnight DST skips", () => {
    // Chile moves its clocks from 00:00 to 01:00 on 2026-09-06.
    expect(dates("today", "2026-09-06T15:00:00Z", "America/Santiago")[0]).toMatchObject({ from: "2026-09-06T04:00:00.000Z", to: "2026-09-07T03:00:00.000Z" });
  });

  it("is not fooled by sprints, weekends, plurals or words that contain a date word", () => {
    expect(dates("this sprint, this weekend, on fridays, todays, yesterdays news, mondayitis", "2026-03-25T11:00:00Z", BERLIN)).toEqual([]);
  });

  it("reads an unknown zone as UTC rather than failing the message", () => {
    expect(dates("today", "2026-03-25T11:00:00Z", "Not/A_Zone")).toEqual([{ phrase: "today", from: "2026-03-25T00:00:00.000Z", to: "2026-03-26T00:00:00.000Z" }]);
  });
});

describe("issueTitle", () => {
  it.each([
    ["create an issue: login fails on Safari", "login fails on Safari"],
    ["file a bug — checkout button does nothing", "checkout button does nothing"],
    ["file a bug - checkout button does nothing!", "checkout button does nothing"],
    ["open a ticket for the flaky deploy", "the flaky deploy"],
    ['new issue "dark mode toggle missing"', "dark mode toggle missing"],
    ["<@UBOT> please open a new GitHub issue titled 'Crash on launch'", "Crash on launch"],
    ["create an issue: “Export is slow”!", "Export is slow"],
    ["create an issue in acme/web: Login fails on v1.2. Also what's blocking?", "Login fails on v1.2"],
  ])("%s → %s", (text, title) => {
    expect(entities(text).issueTitle).toBe(title);
  });

  it("is absent when the message gives no title", () => {
    for (const text of ["create an issue", "how do I file a bug?", "what's the new issue count", "the bug: it's broken", "create an issue:   ", "what's blocking acme/web?"]) {
      expect(entities(text).issueTitle, text).toBeUndefined();
    }
  });
});
