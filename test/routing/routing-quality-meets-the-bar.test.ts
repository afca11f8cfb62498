// Holds routing without a model to issue 8's bars on the labelled utterances' held-out split. Training is seeded, so these figures are the same on every run.
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { evaluateRouting } from "../../src/routing/evaluate.js";
import { loadUtterances } from "../../src/routing/utterances/index.js";

describe("routing quality without a model", () => {
  const evaluation = evaluateRouting(loadUtterances(), createLogger({ level: "silent" }));

  it("the pre-classifier claims no compound message and is at least 98 % precise on what it claims", () => {
    expect(evaluation.pre.compoundClaimed).toBe(0);
    expect(evaluation.pre.wrong).toEqual([]);
    expect(evaluation.pre.precision).toBeGreaterThanOrEqual(0.98);
    expect(evaluation.pre.claimed).toBeGreaterThan(20);
  });

  it("the local classifier reaches 85 % terminal and 80 % category accuracy on the held-out split", () => {
    expect(evaluation.heldOut).toBeGreaterThan(300);
    expect(evaluation.local.terminalAccuracy).toBeGreaterThanOrEqual(0.85);
    expect(evaluation.local.categoryAccuracy).toBeGreaterThanOrEqual(0.8);
  });

  it("takes few compound messages as one confident request", () => {
    expect(evaluation.local.compoundClaimedConfidently / evaluation.local.compoundTotal).toBeLessThan(0.2);
  });
});
