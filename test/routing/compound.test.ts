import { describe, expect, it } from "vitest";
import { detectCompound, splitRequests, type PartGuess } from "../../src/routing/compound.js";

describe("compound detection", () => {
  it("splits on sequencing words and on an 'and' that starts a new request", () => {
    expect(splitRequests("create an issue for the safari login bug and tell me what's blocking the release")).toEqual([
      "create an issue for the safari login bug",
      "tell me what's blocking the release",
    ]);
    expect(splitRequests("summarize this thread; then plan the sprint")).toEqual(["summarize this thread", "plan the sprint"]);
    expect(splitRequests("list projects — also who are you?")).toEqual(["list projects", "who are you?"]);
  });

  it("keeps one request whole when 'and' joins nouns", () => {
    expect(splitRequests("show me open bugs in web and mobile")).toHaveLength(1);
    expect(splitRequests("file a bug: login and signup broken")).toHaveLength(1);
  });

  const guesses: Record<string, PartGuess> = {
    "create an issue for the safari login bug": { category: "EXECUTION", action: "create_issue", confidence: 0.9 },
    "tell me what's blocking the release": { category: "STATUS", action: "blockers", confidence: 0.8 },
    "how many open bugs in web": { category: "QUERY", action: "count_issues", confidence: 0.8 },
    "how many in mobile": { category: "QUERY", action: "count_issues", confidence: 0.5 },
  };
  const classify = (part: string) => guesses[part] ?? { category: "UNKNOWN" as const, action: "unclear", confidence: 0.1 };

  it("calls a message compound only when its parts disagree", () => {
    const parts = detectCompound("create an issue for the safari login bug and tell me what's blocking the release", classify);
    expect(parts?.map((p) => p.action)).toEqual(["create_issue", "blockers"]);
    // The same request twice over is still one kind of request.
    expect(detectCompound("how many open bugs in web and how many in mobile", classify)).toBeUndefined();
    expect(detectCompound("create an issue for the safari login bug", classify)).toBeUndefined();
  });
});
