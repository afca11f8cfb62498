// Planning the next sprint through the emulator and the GitHub fake: a proposal for the next milestone, filled by
// priority then age up to the velocity of the last four weeks, clearly marked — and nothing written to GitHub.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SeedIssue } from "../fakes/github-seed.js";
import { PROPOSAL_MARK } from "../../src/workflows/plan/proposal-blocks.js";
import { READ_TOOL_NAME } from "../../src/workflows/review/model-read.js";
import { startAnthropicFake, type AnthropicFake } from "../fakes/anthropic.js";
import { startGitHubFake, type FakeRepo, type GitHubFake } from "../fakes/github.js";
import { askInThread, type TestPiper, startTestPiper } from "../support/piper.js";

const DAY = 86_400_000;
const at = (days: number) => new Date(Date.now() + days * DAY).toISOString();

/**
 * acme/mobile: three issues of 4 points and one unsized closed lately (16 points in 4 weeks → 4 a week), milestone 2.5
 * due in 14 days (a budget of 8 points), and open work of every kind.
 */
function seedMobile(github: GitHubFake): void {
  const mobile = github.repos.find((r) => r.name === "mobile")! as FakeRepo;
  const m25 = { number: 1, title: "2.5", dueOn: at(14) };
  const m30 = { number: 2, title: "3.0", dueOn: at(60) };
  mobile.milestones = [m25, m30];
  let number = Math.max(...mobile.issues.map((i) => i.number));
  const add = (title: string, state: "open" | "closed", labels: string[], ageDays: number, milestone?: typeof m25) =>
    mobile.issues.push({
      number: ++number, title, state, isPullRequest: false, assignees: [], labels, author: "dan", body: "", createdAt: at(-ageDays - 5), updatedAt: at(-ageDays), closedAt: state === "closed" ? at(-ageDays) : null,
      ...(milestone ? { milestone } : {}),
    } satisfies SeedIssue);
  add("Login screen copy", "closed", ["points:4"], 3);
  add("Sync conflict dialog", "closed", ["points:4"], 10);
  add("Image cache", "closed", ["points:4"], 20);
  add("Settings crash on rotate", "open", ["p1", "size:S"], 2, m25); // #8: already in 2.5
  add("Tablet layout", "open", ["p1", "size:L"], 30); // #9: doesn't fit
  add("Waiting on the SDK update", "open", ["blocked", "p0"], 8); // #10: blocked
  add("Widgets", "open", ["feature"], 3, m30); // #11: planned for 3.0
}

describe("plan the next sprint without a model", () => {
  let github: GitHubFake;
  let piper: TestPiper;
  beforeAll(async () => {
    github = await startGitHubFake();
    seedMobile(github);
    piper = await startTestPiper({}, { GITHUB_TOKEN: github.token, GITHUB_API_URL: github.url });
  });
  afterAll(async () => {
    await piper?.close();
    await github?.close();
  });

  it("proposes the next milestone's issues within the velocity budget, says what was left out and why, and changes nothing", async () => {
    const { reply, intent } = await askInThread(piper, piper.slackLocal.channels.general, "plan the next sprint for acme/mobile");
    expect(intent.category).toBe("PLANNING");
    expect(reply.text).toContain(`${PROPOSAL_MARK} Next sprint for acme/mobile: 2 issues (6 points of 8 points), 4 left out.`);
    const shown = JSON.stringify(reply.blocks);
    expect(shown).toContain(`*${PROPOSAL_MARK}* Next sprint for *acme/mobile*: <https://github.com/acme/mobile/milestone/1|2.5>, due `);
    expect(shown).toContain("*Budget:* 8 points for 14 days, from velocity: 16 points closed in the last 4 weeks (4 issues, 4 points a week).");
    expect(shown).toContain("*Proposed — 2 issues, 6 points of 8 points*");
    expect(shown).toContain("<https://github.com/acme/mobile/issues/8|#8 Settings crash on rotate> — 2 points, already in 2.5, `p1`");
    expect(shown).toContain("<https://github.com/acme/mobile/issues/1|#1 Crash on launch on Android 15> — 4 points (unsized), `p0`");
    expect(shown).toContain("#9 Tablet layout> — doesn't fit: 5 points with 2 points left");
    expect(shown).toContain("#10 Waiting on the SDK update> — blocked (`blocked`)");
    expect(shown).toContain("#11 Widgets> — planned for 3.0");
    expect(shown).toContain("I haven't created or changed any milestone, label or issue");
    expect(github.calls.filter((c) => c.method !== "GET")).toHaveLength(0);
  });
});

describe("plan the next sprint with a model", () => {
  let github: GitHubFake;
  let anthropic: AnthropicFake;
  let piper: TestPiper;
  beforeAll(async () => {
    github = await startGitHubFake();
    seedMobile(github);
    anthropic = await startAnthropicFake();
    anthropic.respondWith((request) => {
      const tool = (request.tools as Array<{ name: string }> | undefined)?.[0]?.name;
      if (tool === "classify_intent") return [{ type: "tool_use", name: "classify_intent", input: { category: "PLANNING", action: "plan_sprint", confidence: 0.95, compound: false } }];
      if (tool === READ_TOOL_NAME) return [{ type: "tool_use", name: READ_TOOL_NAME, input: { read: "The sprint holds #8 and #1; #9 waits for the next one." } }];
      return [{ type: "text", text: "ok" }];
    });
    piper = await startTestPiper({}, { GITHUB_TOKEN: github.token, GITHUB_API_URL: github.url, ANTHROPIC_API_KEY: anthropic.apiKey, ANTHROPIC_BASE_URL: anthropic.url });
  });
  afterAll(async () => {
    await piper?.close();
    await anthropic?.close();
    await github?.close();
  });

  it("adds the model's read to the same proposal, still marked and still changing nothing", async () => {
    const { reply } = await askInThread(piper, piper.slackLocal.channels.general, "plan the next sprint for acme/mobile");
    const shown = JSON.stringify(reply.blocks);
    expect(reply.text).toContain(`${PROPOSAL_MARK} Next sprint for acme/mobile: 2 issues (6 points of 8 points), 4 left out.`);
    expect(shown).toContain("*In short:* The sprint holds #8 and #1; #9 waits for the next one.");
    expect(shown).toContain("*Proposed — 2 issues, 6 points of 8 points*");
    expect(JSON.stringify(anthropic.requests.at(-1)!.body)).toContain("a proposal only: nothing was changed");
    expect(github.calls.filter((c) => c.method !== "GET")).toHaveLength(0);
  });
});
