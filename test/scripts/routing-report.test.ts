import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main, type RoutingReport } from "../../scripts/routing-report.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";

describe("npm run routing:report", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.dispose());

  async function run(argv: string[]): Promise<{ report: RoutingReport; out: string }> {
    let out = "";
    const report = await main(argv, db, (t) => void (out += t));
    return { report, out };
  }

  it("says there is no feedback yet on an empty database", async () => {
    const { report, out } = await run([]);
    expect(report).toEqual({ votes: 0, good: 0, bad: 0, agreement: 0, categories: [] });
    expect(out).toContain("No feedback yet");
  });

  it("counts votes, 👍, 👎 and agreement per category, and names the worst-rated actions", async () => {
    let n = 0;
    const vote = (category: string | null, action: string | null, v: "good" | "bad") => ({
      teamId: "T1",
      channelId: "C1",
      messageTs: `1700000000.${String(++n).padStart(6, "0")}`,
      userId: "U1",
      vote: v,
      category,
      action,
      userText: `question ${n}`,
    });
    await db.prisma.feedbackVote.createMany({
      data: [
        vote("STATUS", "blockers", "bad"),
        vote("STATUS", "blockers", "bad"),
        vote("STATUS", "blockers", "good"),
        vote("STATUS", "standup", "good"),
        vote("STATUS", "standup", "good"),
        vote("STATUS", "health", "bad"),
        vote("QUERY", "find_issues", "good"),
        vote("QUERY", "find_issues", "good"),
        vote(null, null, "bad"),
      ],
    });

    const { report, out: json } = await run(["--json"]);
    expect(JSON.parse(json)).toEqual(report);
    expect(report).toMatchObject({ votes: 9, good: 5, bad: 4 });
    expect(report.agreement).toBeCloseTo(5 / 9);
    expect(report.categories.map((c) => [c.category, c.votes, c.good, c.bad])).toEqual([
      ["STATUS", 6, 3, 3],
      ["QUERY", 2, 2, 0],
      ["(unknown)", 1, 0, 1],
    ]);
    const status = report.categories[0]!;
    expect(status.agreement).toBe(0.5);
    // health 0/1, then blockers 1/3; standup has no 👎 and is not among the worst.
    expect(status.worstActions.map((a) => [a.action, a.votes, a.good, a.bad])).toEqual([
      ["health", 1, 0, 1],
      ["blockers", 3, 1, 2],
    ]);
    expect(report.categories[1]!).toMatchObject({ agreement: 1, worstActions: [] });

    const { out: text } = await run([]);
    expect(text).toContain("9 votes, 5 👍, 4 👎 — 56% agreement");
    expect(text).toMatch(/STATUS\s+6\s+3\s+3\s+50%/);
    expect(text).toMatch(/QUERY\s+2\s+2\s+0\s+100%/);
    expect(text).toContain("worst: health 0% (0/1), blockers 33% (1/3)");
  });
});
