// The attention model's settings come from the environment, validated at the boundary with sentences that name the variable.
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";
import { attentionConfigSchema } from "../../src/spatial/attention.js";

describe("attention settings", () => {
  it("default to a 4 h half-life, questions ageing after 30 min and the model's own weights", () => {
    const { attention } = loadConfig({});
    expect(attention).toEqual({ halfLifeMs: 4 * 3_600_000, questionAgeMs: 30 * 60_000, weights: {} });
    const merged = attentionConfigSchema.parse(attention);
    expect(merged.weights.mention).toBeGreaterThan(merged.weights.message);
  });

  it("override single weights and keep the rest", () => {
    const { attention } = loadConfig({ PIPER_ATTENTION_WEIGHTS: "urgent=8, question=3", PIPER_ATTENTION_HALF_LIFE_MINUTES: "60" });
    const merged = attentionConfigSchema.parse(attention);
    expect(merged.halfLifeMs).toBe(3_600_000);
    expect(merged.weights.urgent).toBe(8);
    expect(merged.weights.question).toBe(3);
    expect(merged.weights.mention).toBe(attentionConfigSchema.parse({}).weights.mention);
  });

  it("refuse an unknown kind or a negative weight, naming the variable", () => {
    for (const bad of ["shouting=3", "urgent=-1", "urgent"]) {
      expect(() => loadConfig({ PIPER_ATTENTION_WEIGHTS: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ PIPER_ATTENTION_WEIGHTS: bad })).toThrow(/PIPER_ATTENTION_WEIGHTS/);
    }
  });
});
