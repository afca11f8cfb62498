import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { DEFAULT_CLASSIFIER_MODEL, DEFAULT_CONVERSATION_MODEL, loadConfig } from "../../src/config.js";

// The installed SDK's own files: its model union and its deprecation list (not in the package's exports, so by path).
const sdkDir = dirname(createRequire(import.meta.url).resolve("@anthropic-ai/sdk"));

async function deprecatedModels(): Promise<Record<string, string>> {
  const mod = (await import(pathToFileURL(join(sdkDir, "internal/data/deprecated-models.mjs")).href)) as { DEPRECATED_MODELS: Record<string, string> };
  return mod.DEPRECATED_MODELS;
}

async function modelUnion(): Promise<string[]> {
  const dts = await readFile(join(sdkDir, "resources/messages/messages.d.ts"), "utf8");
  const line = /export type Model =([^;]+);/.exec(dts)?.[1];
  expect(line, "the SDK's Model type").toBeDefined();
  return [...line!.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
}

describe("model defaults", () => {
  it("are the configuration's defaults, each overridable", () => {
    expect(loadConfig({}).anthropic).toMatchObject({ model: DEFAULT_CONVERSATION_MODEL, classifierModel: DEFAULT_CLASSIFIER_MODEL });
    expect(loadConfig({ ANTHROPIC_MODEL: "claude-a", ANTHROPIC_CLASSIFIER_MODEL: "claude-b" }).anthropic).toMatchObject({ model: "claude-a", classifierModel: "claude-b" });
  });

  it("are models the installed SDK knows", async () => {
    const known = await modelUnion();
    expect(known.length).toBeGreaterThan(5);
    expect(known).toContain(DEFAULT_CONVERSATION_MODEL);
    expect(known).toContain(DEFAULT_CLASSIFIER_MODEL);
  });

  it("are not on the SDK's deprecation list", async () => {
    const deprecated = await deprecatedModels();
    // The list is real and has the model we moved off.
    expect(deprecated).toHaveProperty("claude-sonnet-4-5");
    expect(Object.keys(deprecated)).not.toContain(DEFAULT_CONVERSATION_MODEL);
    expect(Object.keys(deprecated)).not.toContain(DEFAULT_CLASSIFIER_MODEL);
  });
});
