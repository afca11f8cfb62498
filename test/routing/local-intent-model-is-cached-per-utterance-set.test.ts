// The local models are trained once per utterance set: cached beside the data, read back identically, and models of earlier sets are removed.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LocalIntentModel } from "../../src/routing/local-intent-model.js";
import { dataHash, loadUtterances } from "../../src/routing/utterances/index.js";

describe("the local intent model's cache", () => {
  const dir = mkdtempSync(join(tmpdir(), "piper-model-cache-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // Every fifth utterance: enough to train both models quickly, and a set of its own (its own hash).
  const utterances = loadUtterances().filter((_, i) => i % 5 === 0);

  it("writes both models, reads them back identically, and removes models of other utterance sets", () => {
    const stale = join(dir, `local-classifier-category-${"0".repeat(64)}.json`);
    writeFileSync(stale, "{}");
    const trained = LocalIntentModel.loadOrTrain(utterances, dir);
    const hash = dataHash(utterances);
    expect(readdirSync(dir).sort()).toEqual([`local-classifier-action-${hash}.json`, `local-classifier-category-${hash}.json`]);
    const cached = LocalIntentModel.loadOrTrain(utterances, dir);
    for (const text of ["what's blocking mobile?", "summarize this thread", "hi", "how do I connect notion"]) expect(cached.guess(text)).toEqual(trained.guess(text));
  });
});
