import { describe, expect, it } from "vitest";
import { terminalFor } from "../../src/routing/gate.js";
import type { Category } from "../../src/routing/intent.js";

const t = (category: Category, action: string) => terminalFor({ category, action });

describe("action gate (the routing table)", () => {
  it("sends the canonical categories to handlers", () => {
    for (const c of ["PORTFOLIO", "EXECUTION", "TEMPORAL", "STATUS", "PRIORITY"] as const) expect(t(c, "x")).toBe("canonical");
    expect(t("CONVERSATION", "greeting")).toBe("canonical");
    expect(t("CONVERSATION", "thanks")).toBe("canonical");
    expect(t("GUIDANCE", "setup_github")).toBe("canonical");
    expect(t("DISCOVERY", "help")).toBe("canonical");
  });

  it("sends conversation, identity, trust, memory, practice guidance and the unclear to the floor", () => {
    expect(t("CONVERSATION", "venting")).toBe("floor");
    expect(t("GUIDANCE", "pm_practice")).toBe("floor");
    for (const c of ["IDENTITY", "DISCOVERY", "TRUST", "MEMORY", "UNKNOWN"] as const) expect(t(c, "x")).toBe("floor");
  });

  it("sends everything else to the workflow dispatcher", () => {
    for (const c of ["ANALYSIS", "SYNTHESIS", "STRATEGY", "PLANNING", "REVIEW", "LEARNING", "QUERY"] as const) expect(t(c, "x")).toBe("workflow");
  });

  it("never sends a compound intent to a handler or a workflow", () => {
    const parts = [
      { text: "create an issue", category: "EXECUTION" as const, action: "create_issue", confidence: 0.9 },
      { text: "what's blocked", category: "STATUS" as const, action: "blockers", confidence: 0.9 },
    ];
    expect(terminalFor({ category: "EXECUTION", action: "create_issue", parts })).toBe("floor");
  });
});
