import { describe, expect, it } from "vitest";
import { preClassify, tidyText } from "../../src/routing/pre-classifier.js";

describe("pre-classifier", () => {
  it("claims short unambiguous messages, whatever the punctuation, emoji or Piper's name", () => {
    expect(preClassify("Hi @piper! 👋")).toEqual({ category: "CONVERSATION", action: "greeting" });
    expect(preClassify("hello piper :wave:")).toEqual({ category: "CONVERSATION", action: "greeting" });
    expect(preClassify("thanks so much!")).toEqual({ category: "CONVERSATION", action: "thanks" });
    expect(preClassify("List our projects")).toEqual({ category: "PORTFOLIO", action: "list_projects" });
    expect(preClassify("what projects do we have?")).toEqual({ category: "PORTFOLIO", action: "list_projects" });
    expect(preClassify("health")).toEqual({ category: "STATUS", action: "health" });
    expect(preClassify("who are you?")).toEqual({ category: "IDENTITY", action: "who_are_you" });
    expect(preClassify("")).toEqual({ category: "DISCOVERY", action: "help" });
    expect(preClassify("what can you do?")).toEqual({ category: "DISCOVERY", action: "what_can_you_do" });
  });

  it("misses compound, longer or merely similar messages", () => {
    for (const text of [
      "hi, can you create an issue",
      "projects and health",
      "list projects and tell me who you are",
      "thanks, now summarize this thread",
      "what projects are blocked on the release",
      "health of the mobile project",
      "standup every weekday 9:30",
      "who are you and what do you store",
      "?",
      "👀",
      ":thinking_face:",
    ]) {
      expect(preClassify(text), text).toBeUndefined();
    }
  });

  it("takes a slash command's first word as its subcommand", () => {
    expect(preClassify("standup every weekday 9:30", { slash: true })).toEqual({ category: "STATUS", action: "standup" });
    expect(preClassify("focus #mobile", { slash: true })).toEqual({ category: "PRIORITY", action: "focus" });
    expect(preClassify("", { slash: true })).toEqual({ category: "DISCOVERY", action: "help" });
    // Not a subcommand: the rest of the table (or a miss) decides, as for a mention.
    expect(preClassify("what's blocking mobile", { slash: true })).toBeUndefined();
  });

  it("tidies without losing inner punctuation", () => {
    expect(tidyText("  Projects, health!!  ")).toBe("projects, health");
    expect(tidyText("what’s up")).toBe("what's up");
  });
});
