// Pins the deterministic reading of "remember …" / "forget …": links, notes, unlinks, forget-all, and the messages that are none of these.
import { describe, expect, it } from "vitest";
import { memoryCommand } from "../../src/spatial/memory-commands.js";

describe("memory commands", () => {
  it.each([
    ["this channel is acme/web", "acme/web"],
    ["link this channel to acme/web", "acme/web"],
    ["this room is for acme/mobile", "acme/mobile"],
    ["remember that this channel is acme/web", "acme/web"],
    ["pls remember this channel's repo is acme/search", "acme/search"],
    ["from now on, this channel = acme/design-system", "acme/design-system"],
    ["rememebr that this room tracks acme/web", "acme/web"],
    ["Piper, link this room to https://github.com/acme/api.", "acme/api"],
    ["this channel is acme/web.", "acme/web"],
  ])("“%s” links the room to %s", (text, repo) => {
    expect(memoryCommand(text)).toEqual({ kind: "link", repo });
  });

  it.each([
    ["remember that we deploy on tuesdays", "we deploy on tuesdays"],
    ["remember: standups are at 10", "standups are at 10"],
    ["Remember that we deploy on Tuesdays.", "we deploy on Tuesdays"],
    ["please remember our sprint is two weeks and starts wednesdays", "our sprint is two weeks and starts wednesdays"],
    ["keep in mind that we freeze code every other thursday", "we freeze code every other thursday"],
    ["remember this for the channel: we ship on thursdays", "we ship on thursdays"],
    ["save this: the design review is always monday 2pm", "the design review is always monday 2pm"],
    ["don't forget: releases go out on the first monday of the month", "releases go out on the first monday of the month"],
    ["remember that “QA signs off” thanks", "QA signs off"],
  ])("“%s” remembers “%s”", (text, fact) => {
    expect(memoryCommand(text)).toEqual({ kind: "remember", fact });
  });

  it("reads forgetting the link, with or without the repository named", () => {
    expect(memoryCommand("forget the linked repo")).toEqual({ kind: "unlink" });
    expect(memoryCommand("forget the repo link for this channel")).toEqual({ kind: "unlink" });
    expect(memoryCommand("unlink acme/web from this channel")).toEqual({ kind: "unlink", repo: "acme/web" });
    expect(memoryCommand("unlink this room from acme/mobile")).toEqual({ kind: "unlink", repo: "acme/mobile" });
    expect(memoryCommand("we archived it. forget acme/legacy-web")).toBeUndefined();
    expect(memoryCommand("forget acme/legacy-web for this channel")).toEqual({ kind: "unlink", repo: "acme/legacy-web" });
  });

  it("reads forgetting everything", () => {
    for (const text of ["forget everything", "Forget everything!", "clear your memory for this room", "reset what you know about this channel", "wipe everything you know about this channel pls"]) {
      expect(memoryCommand(text), text).toEqual({ kind: "forget_all" });
    }
  });

  it("reads forgetting one fact as the words that name it", () => {
    expect(memoryCommand("forget that we deploy on tuesdays")).toEqual({ kind: "forget", text: "we deploy on tuesdays" });
    expect(memoryCommand("please forget that deploys are on tuesdays")).toEqual({ kind: "forget", text: "deploys are on tuesdays" });
    expect(memoryCommand("remove the fact about our working hours")).toEqual({ kind: "forget", text: "our working hours" });
    expect(memoryCommand("forget about the thursday freeze")).toEqual({ kind: "forget", text: "the thursday freeze" });
  });

  it("claims nothing that isn't a plain memory command", () => {
    for (const text of ["", "what's blocking acme/web?", "remember", "forget it", "this channel is great", "link this channel to and/or", "remembering things is hard", "what do you remember about this channel?", "notes from the retro"]) {
      expect(memoryCommand(text), text).toBeUndefined();
    }
  });
  it.each([
    ["I am octocat on GitHub", "octocat"],
    ["i'm @octo-cat on github.", "octo-cat"],
    ["remember that I'm octocat on GitHub", "octocat"],
    ["my GitHub username is Octocat", "Octocat"],
    ["on GitHub I am octocat", "octocat"],
  ])("“%s” is the asker's GitHub login %s", (text, login) => {
    expect(memoryCommand(text)).toEqual({ kind: "github_login", login });
  });

  it("reads forgetting the GitHub login, and leaves look-alikes alone", () => {
    expect(memoryCommand("forget my GitHub login")).toEqual({ kind: "forget_github_login" });
    expect(memoryCommand("I am on GitHub")).toBeUndefined();
    expect(memoryCommand("I am -bad- on GitHub")).toBeUndefined();
    expect(memoryCommand("remember that alice is octocat on GitHub")).toEqual({ kind: "remember", fact: "alice is octocat on GitHub" });
  });
});
