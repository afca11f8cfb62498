// Cost of the local classifier: how long training takes on the given examples and what one prediction costs. The main bench calls this.
import { LocalClassifier, type LabelledText } from "../src/routing/local-classifier.js";

export function measureLocalClassifier(examples: LabelledText[], probeTexts: string[]): { trainMs: number; predictMsPerMessage: number } {
  if (probeTexts.length === 0) throw new Error("measureLocalClassifier needs at least one probe text");
  const trainStart = performance.now();
  const model = LocalClassifier.train(examples);
  const trainMs = performance.now() - trainStart;
  // Warm up so the figure is the steady state a running Piper sees, not the JIT's first pass.
  for (let i = 0; i < 200; i++) model.predict(probeTexts[i % probeTexts.length]!);
  const rounds = Math.max(1, Math.ceil(5_000 / probeTexts.length));
  const predictStart = performance.now();
  for (let r = 0; r < rounds; r++) for (const text of probeTexts) model.predict(text);
  const predictMsPerMessage = (performance.now() - predictStart) / (rounds * probeTexts.length);
  return { trainMs, predictMsPerMessage };
}
