// Pins that the Slack manifests' slash-command hint and suggested prompts match the capability registry's working features.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { available, suggestedPrompts } from "../../src/routing/capabilities.js";

const MANIFESTS = ["manifests/slack-app.yaml", "manifests/slack-app.socket.yaml"];

// The manifests are flat enough that their few advertised fields can be read line by line.
function advertised(path: string) {
  const text = readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
  const hint = /usage_hint: "\[(.*)\]"/.exec(text)?.[1] ?? "";
  const prompts = /suggested_prompts:\n((?:\s+(?:- )?(?:title|message): .*\n)+)/.exec(text)?.[1] ?? "";
  return {
    hintWords: hint.split("|").map((w) => w.trim()),
    prompts: [...prompts.matchAll(/title: (.*)\n\s+message: (.*)/g)].map(([, title, message]) => ({ title, message })),
    prose: text,
  };
}

describe.each(MANIFESTS)("%s", (path) => {
  const manifest = advertised(path);

  it("the /piper usage hint lists exactly the working subcommands", () => {
    expect(manifest.hintWords).toEqual(available().flatMap((c) => (c.subcommand ? [c.subcommand] : [])));
  });

  it("the suggested prompts are the registry's", () => {
    expect(manifest.prompts).toEqual(suggestedPrompts());
  });

  it("no description promises issues from a sentence (standups, focus and watch work)", () => {
    expect(manifest.prose).not.toMatch(/issues from a sentence/i);
  });
});
