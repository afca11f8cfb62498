// The sprint proposal's arithmetic on fixed lists and a fixed clock: sizes, velocity, the budget, and what is
// picked (priority label, then age) or left out, and why.
import { describe, expect, it } from "vitest";
import { nextMilestone, pointsOf, proposePlan, velocity, type ClosedIssue, type PlanIssue } from "../../src/workflows/plan/proposal.js";
import { proposalBody, PROPOSAL_MARK } from "../../src/workflows/plan/proposal-blocks.js";

const NOW = new Date("2026-03-02T12:00:00Z");
const ago = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();
const ahead = (days: number) => new Date(NOW.getTime() + days * 86_400_000).toISOString();
const issue = (number: number, age: number, labels: string[] = [], milestone: string | null = null): PlanIssue => ({
  number, title: `Issue ${number}`, url: `https://github.com/acme/mobile/issues/${number}`, labels, assignees: [], createdAt: ago(age), milestone,
});
const closed = (number: number, daysAgo: number, labels: string[] = []): ClosedIssue => ({ number, closedAt: ago(daysAgo), labels });

describe("sprint proposal", () => {
  it("reads sizes from size: and points: labels", () => {
    expect(pointsOf(["size:S"])).toBe(2);
    expect(pointsOf(["Size: XL"])).toBe(8);
    expect(pointsOf(["bug", "points:5"])).toBe(5);
    expect(pointsOf(["sp/3"])).toBe(3);
    expect(pointsOf(["bug", "sizeable"])).toBeUndefined();
  });

  it("measures velocity over the last four weeks: issues per week, or points when closed issues were sized", () => {
    const plain = velocity([closed(1, 2), closed(2, 10), closed(3, 20), closed(4, 27), closed(5, 40)], NOW);
    expect(plain).toEqual({ weeks: 4, closed: 4, unit: "issues", done: 4, perWeek: 1 });
    const sized = velocity([closed(1, 2, ["size:S"]), closed(2, 10, ["size:L"]), closed(3, 20, ["points:3"]), closed(4, 21)], NOW);
    // Unsized count as the median of the sized (2, 3, 5 → 3): 2 + 5 + 3 + 3 = 13 points.
    expect(sized).toEqual({ weeks: 4, closed: 4, unit: "points", done: 13, perWeek: 3.25, unsizedAs: 3 });
  });

  it("aims at the open milestone due soonest", () => {
    const m = nextMilestone([{ title: "2.6", url: "u2", dueOn: ahead(30) }, { title: "old", url: "u0", dueOn: ago(3) }, { title: "2.5", url: "u1", dueOn: ahead(10) }], NOW);
    expect(m?.title).toBe("2.5");
  });

  it("fills the budget by priority label then age, skipping what doesn't fit, and says why each was left out", () => {
    // 8 issues in 4 weeks → 2 a week → 14 days → a budget of 4 issues.
    const history = Array.from({ length: 8 }, (_, i) => closed(100 + i, i * 3));
    const open = [
      issue(1, 90),
      issue(2, 5, ["p0"]),
      issue(3, 40, ["p1"]),
      issue(4, 60, ["blocked", "p0"]),
      issue(5, 100, [], "3.0"),
      issue(6, 10, ["p1"]),
      issue(7, 200, ["low"]),
      issue(8, 30),
    ];
    const p = proposePlan(open, history, [], { now: NOW, sprintDays: 14 });
    expect(p.days).toBe(14);
    expect(p.budget).toBe(4);
    expect(p.picked.map((x) => x.issue.number)).toEqual([2, 3, 6, 1]);
    expect(p.picked[0]!.why).toBe("`p0`, open 5 days");
    expect(p.leftOut.map((x) => [x.issue.number, x.why])).toEqual([
      [8, "the budget is used up"],
      [7, "the budget is used up"],
      [4, "blocked (`blocked`)"],
      [5, "planned for 3.0"],
    ]);
  });

  it("in points, puts what is already in the milestone first, counts an unsized issue at the median, and lets what fits fill the rest", () => {
    // 12 points in 4 weeks → 3 a week; the milestone is due in 14 days → a budget of 6 points.
    const history = [closed(100, 3, ["points:4"]), closed(101, 9, ["points:4"]), closed(102, 15, ["points:4"])];
    const milestones = [{ title: "2.5", url: "https://github.com/acme/mobile/milestone/1", dueOn: ahead(14) }];
    const open = [issue(1, 3, ["size:S"], "2.5"), issue(2, 50, ["p0", "size:L"]), issue(3, 20, ["p1"]), issue(4, 10, ["size:S"])];
    const p = proposePlan(open, history, milestones, { now: NOW, sprintDays: 10 });
    expect(p.milestone?.title).toBe("2.5");
    expect(p.days).toBe(14);
    expect(p.budget).toBe(6);
    // #2 (p0, L = 5) doesn't fit after #1; #3 (p1, unsized = 4) does; then #4 (S = 2) doesn't.
    expect(p.picked.map((x) => [x.issue.number, x.cost, x.sized])).toEqual([[1, 2, true], [3, 4, false]]);
    expect(p.picked[0]!.why).toBe("already in 2.5, open 3 days");
    expect(p.leftOut.map((x) => [x.issue.number, x.why])).toEqual([
      [2, "doesn't fit: 5 points with 4 points left"],
      [4, "the budget is used up"],
    ]);
    expect(p.used).toBe(6);
  });

  it("with no velocity picks nothing, ranks the candidates, and is clearly a proposal", () => {
    const p = proposePlan([issue(1, 10), issue(2, 3, ["p0"])], [], [], { now: NOW, sprintDays: 14 });
    expect(p.picked).toEqual([]);
    expect(p.ranked.map((i) => i.number)).toEqual([2, 1]);
    const body = proposalBody({ repo: "acme/mobile", proposal: p, notes: [] });
    expect(body.text.startsWith(PROPOSAL_MARK)).toBe(true);
    expect(JSON.stringify(body.blocks)).toContain("No issues were closed in the last 4 weeks");
    expect(JSON.stringify(body.blocks)).toContain("I haven't created or changed any milestone");
  });
});
