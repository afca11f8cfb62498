// The summary without a model: who spoke, which questions are still open, which lines decide or commit, and the links.
import { describe, expect, it } from "vitest";
import { extractiveSummary, type ThreadMessage } from "../../src/workflows/summarize/summary.js";
import { summaryBody } from "../../src/workflows/summarize/summary-blocks.js";

let n = 0;
const msg = (user: string, text: string): ThreadMessage => ({ ts: `1700000000.${String(++n).padStart(6, "0")}`, user, text });

describe("extractive thread summary", () => {
  it("lists participants in the order they first spoke", () => {
    const s = extractiveSummary([msg("U1", "hi"), msg("U2", "hello"), msg("U1", "again"), msg("U3", "me too")]);
    expect(s.participants).toEqual(["U1", "U2", "U3"]);
    expect(s.by).toBe("extractive");
  });

  it("keeps a question open until someone else answers it, and a question answered with a question stays open", () => {
    const s = extractiveSummary([
      msg("U1", "Should we ship the Android fix on Friday?"),
      msg("U2", "Yes, QA signed off."),
      msg("U2", "Who owns the rollback plan?"),
      msg("U2", "Anyone?"),
      msg("U3", "What's the deadline for the copy?"),
      msg("U1", "Which copy do you mean?"),
    ]);
    expect(s.openQuestions.map((q) => q.text)).toEqual(["Who owns the rollback plan?", "Anyone?", "What's the deadline for the copy?", "Which copy do you mean?"]);
    expect(s.openQuestions[0]!.by).toBe("U2");
  });

  it("a question put to someone by name is answered only by them", () => {
    const s = extractiveSummary([msg("U1", "<@U3> can you take the migration?"), msg("U2", "I think Carol is out today."), msg("U4", "ok")]);
    expect(s.openQuestions.map((q) => q.text)).toEqual(["@U3 can you take the migration?"]);
    const answered = extractiveSummary([msg("U1", "<@U3> can you take the migration?"), msg("U3", "Sure.")]);
    expect(answered.openQuestions).toEqual([]);
  });

  it("picks the sentences that state decisions and commitments, with their owners", () => {
    const s = extractiveSummary([
      msg("U1", "The build is red again. Let's go with the old runner for now."),
      msg("U2", "Agreed, rollback it is."),
      msg("U3", "I'll write the release notes tonight."),
      msg("U1", "We'll revisit the runner next sprint."),
      msg("U2", "<@U4> will update the status page."),
      msg("U4", "Nice weather today."),
    ]);
    expect(s.decisions.map((d) => d.text)).toEqual(["Let's go with the old runner for now.", "Agreed, rollback it is."]);
    expect(s.actionItems).toEqual([
      { text: "I'll write the release notes tonight.", by: "U3", owner: "U3" },
      { text: "We'll revisit the runner next sprint.", by: "U1" },
      { text: "@U4 will update the status page.", by: "U2", owner: "U4" },
    ]);
  });

  it("collects every link once, with its label", () => {
    const s = extractiveSummary([
      msg("U1", "Spec: <https://example.com/spec|the spec> and <https://example.com/board>"),
      msg("U2", "same spec <https://example.com/spec|the spec>"),
    ]);
    expect(s.links).toEqual([{ url: "https://example.com/spec", label: "the spec" }, { url: "https://example.com/board" }]);
  });

  it("is labelled as extractive and names people instead of mentioning them", () => {
    const summary = extractiveSummary([msg("U1", "I'll fix it. <@U2> ok?")]);
    const body = summaryBody({ summary, names: { U1: "alice", U2: "bob" }, messages: 1, notes: [] });
    const all = JSON.stringify(body.blocks);
    expect(body.text).toContain("extractive summary (no model)");
    expect(all).toContain("Extractive summary (no model)");
    expect(all).toContain("@alice: “I'll fix it.”");
    expect(all).toContain("“@bob ok?” — @alice");
    expect(all).not.toContain("<@");
  });
});
