// The review's arithmetic on fixed lists and a fixed clock: themes by label and age, the lists and their order.
import { describe, expect, it } from "vitest";
import { reviewReport, UNLABELLED, type ReviewItem } from "../../src/workflows/review/report.js";

const NOW = new Date("2026-03-01T12:00:00Z");
const ago = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();
const item = (number: number, o: Partial<ReviewItem> & { age: number; idle?: number }): ReviewItem => ({
  number, title: `Issue ${number}`, url: `https://github.com/acme/web/issues/${number}`, labels: [], assignees: [], createdAt: ago(o.age), updatedAt: ago(o.idle ?? 0), comments: 0, ...o,
});

const issues = [
  item(1, { age: 200, idle: 100, labels: ["bug", "p1"], comments: 2 }),
  item(2, { age: 3, labels: ["bug"], assignees: ["alice"], comments: 9 }),
  item(3, { age: 45, idle: 10, labels: ["feature", "size:M"] }),
  item(4, { age: 10, labels: ["bug", "feature"], assignees: ["bob"], comments: 2 }),
  item(5, { age: 1, labels: ["blocked"] }),
];
const pulls = [item(10, { age: 30, idle: 8 }), item(11, { age: 2, idle: 1, draft: true }), item(12, { age: 20, idle: 15 })];

describe("review report", () => {
  it("groups by label (priority, size and blocked labels are not themes), biggest first, with ages", () => {
    const r = reviewReport(issues, pulls, { now: NOW, staleDays: 7, focus: "issues" });
    expect(r.themes.map((t) => [t.label, t.count])).toEqual([["bug", 3], ["feature", 2], [UNLABELLED, 1]]);
    expect(r.themes[0]!.ages).toEqual({ week: 1, month: 1, quarter: 0, older: 1 });
    expect(r.ages).toEqual({ week: 2, month: 1, quarter: 1, older: 1 });
    expect(r.openIssues).toBe(5);
  });

  it("lists the oldest, the most discussed (ties: older first), the unassigned and the blocked", () => {
    const r = reviewReport(issues, pulls, { now: NOW, staleDays: 7, focus: "issues" });
    expect(r.oldest.map((i) => i.number)).toEqual([1, 3, 4, 2, 5]);
    expect(r.mostDiscussed.map((i) => i.number)).toEqual([2, 1, 4]);
    expect(r.unassigned).toMatchObject({ count: 3 });
    expect(r.unassigned.items.map((i) => i.number)).toEqual([1, 3, 5]);
    expect(r.blocked.items.map((i) => i.number)).toEqual([5]);
  });

  it("stale means no activity for the configured days: issues and pull requests, the quietest first", () => {
    const r = reviewReport(issues, pulls, { now: NOW, staleDays: 7, focus: "stale" });
    expect(r.staleIssues.items.map((i) => i.number)).toEqual([1, 3]);
    expect(r.stalePulls!.items.map((i) => i.number)).toEqual([12, 10]);
    expect(r.draftPulls).toBe(1);
    expect(reviewReport(issues, pulls, { now: NOW, staleDays: 14, focus: "stale" }).stalePulls!.count).toBe(1);
  });

  it("narrows to the labels the message named, and reports unread pull requests as unknown", () => {
    const r = reviewReport(issues, undefined, { now: NOW, staleDays: 7, focus: "issues", labels: ["Bug"] });
    expect(r.openIssues).toBe(3);
    expect(r.openPulls).toBeUndefined();
    expect(r.stalePulls).toBeUndefined();
  });
});
