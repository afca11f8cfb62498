// How well Piper routes without a model, measured on the labelled utterances' held-out split: what the bench reports and a test holds to the issue's bars.
import type { Logger } from "../logger.js";
import { normalizeSlackText } from "../slack/message-text.js";
import { terminalFor } from "./gate.js";
import { noEntities, type Category } from "./intent.js";
import { IntentResolver } from "./intent-resolver.js";
import { LocalIntentModel } from "./local-intent-model.js";
import { preClassify } from "./pre-classifier.js";
import { splitHeldOut, type Utterance } from "./utterances/index.js";

export interface RoutingEvaluation {
  heldOut: number;
  pre: {
    /** Share of all single-request utterances the pre-classifier claimed. */
    coverage: number;
    /** Of what it claimed, the share with the labelled category and action. */
    precision: number;
    claimed: number;
    wrong: Array<{ text: string; expected: string; got: string }>;
    /** Compound utterances it claimed: must be 0. */
    compoundClaimed: number;
  };
  local: {
    /** The local classifier's top category against the label, on held-out lines. */
    categoryAccuracy: number;
    /** The terminal the no-model pipeline (pre → local, abstention, compound step) reaches vs the label's terminal. */
    terminalAccuracy: number;
    /** Compound utterances the no-model pipeline treated as one confident request (acted on rather than asked about). */
    compoundClaimedConfidently: number;
    compoundTotal: number;
    confusions: Array<{ expected: Category; got: Category; count: number }>;
  };
  trainMs: number;
}

export function evaluateRouting(utterances: Utterance[], logger: Logger): RoutingEvaluation {
  const single = utterances.filter((u) => !u.compound);
  const compound = utterances.filter((u) => u.compound);

  const preWrong: RoutingEvaluation["pre"]["wrong"] = [];
  let claimed = 0;
  for (const u of single) {
    const hit = preClassify(normalizeSlackText(u.text).text);
    if (!hit) continue;
    claimed++;
    if (hit.category !== u.category || hit.action !== u.action) preWrong.push({ text: u.text, expected: `${u.category}:${u.action}`, got: `${hit.category}:${hit.action}` });
  }
  const compoundClaimed = compound.filter((u) => preClassify(normalizeSlackText(u.text).text) !== undefined).length;

  const { train, test } = splitHeldOut(single);
  const started = performance.now();
  const local = LocalIntentModel.train(train);
  const trainMs = performance.now() - started;
  const resolver = new IntentResolver({ local, knownProjects: async () => [], timeZone: "UTC", failureSentence: () => undefined, logger });

  let categoryRight = 0;
  let terminalRight = 0;
  const confusion = new Map<string, number>();
  for (const u of test) {
    const text = normalizeSlackText(u.text).text;
    const { category } = local.guess(text);
    if (category === u.category) categoryRight++;
    else confusion.set(`${u.category}>${category}`, (confusion.get(`${u.category}>${category}`) ?? 0) + 1);
    const pre = preClassify(text);
    const intent = pre ? { ...pre, confidence: 1, entities: noEntities(), source: "pre" as const } : resolver.classifyLocally(text, noEntities());
    if (terminalFor(intent) === terminalFor({ category: u.category, action: u.action })) terminalRight++;
  }
  let compoundConfident = 0;
  for (const u of compound) {
    const text = normalizeSlackText(u.text).text;
    const pre = preClassify(text);
    const intent = pre ? { ...pre, confidence: 1, entities: noEntities(), source: "pre" as const, parts: undefined } : resolver.classifyLocally(text, noEntities());
    // Asked about (parts) or abstained (UNKNOWN): not acted on. Anything else was taken as one request.
    if (!intent.parts && intent.category !== "UNKNOWN") compoundConfident++;
  }

  return {
    heldOut: test.length,
    pre: { coverage: claimed / single.length, precision: claimed === 0 ? 1 : (claimed - preWrong.length) / claimed, claimed, wrong: preWrong, compoundClaimed },
    local: {
      categoryAccuracy: categoryRight / test.length,
      terminalAccuracy: terminalRight / test.length,
      compoundClaimedConfidently: compoundConfident,
      compoundTotal: compound.length,
      confusions: [...confusion.entries()]
        .map(([k, count]) => {
          const [expected, got] = k.split(">") as [Category, Category];
          return { expected, got, count };
        })
        .sort((a, b) => b.count - a.count),
    },
    trainMs,
  };
}
