import { describe, expect, it } from "vitest";
import { humanizeAction } from "../../src/routing/humanize.js";

describe("humanizer", () => {
  it("says actions the way people do", () => {
    expect(humanizeAction("investigate_crash")).toBe("investigate the crash");
    expect(humanizeAction("summarize_thread")).toBe("summarize this thread");
    expect(humanizeAction("create_issue")).toBe("create an issue");
    expect(humanizeAction("triage_inbox")).toBe("triage inbox");
    expect(humanizeAction("deploy")).toBe("deploy");
  });
});
