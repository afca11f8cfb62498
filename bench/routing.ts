// The routing graph without a model, measured on the labelled utterances: pre-classifier coverage/precision/speed, local classifier accuracy on the held-out split and speed.
import { createLogger } from "../src/logger.js";
import { evaluateRouting, type RoutingEvaluation } from "../src/routing/evaluate.js";
import { LocalIntentModel } from "../src/routing/local-intent-model.js";
import { preClassify } from "../src/routing/pre-classifier.js";
import { loadUtterances } from "../src/routing/utterances/index.js";
import { normalizeSlackText } from "../src/slack/message-text.js";
import type { GoalVerdict } from "./goals.js";

export interface RoutingFigures {
  utterances: number;
  evaluation: RoutingEvaluation;
  /** Normalizing the Slack text and running the pattern table, per message. */
  preMsPerMessage: number;
  /** The local category and action models, per message (normalized text in). */
  localMsPerMessage: number;
  verdicts: GoalVerdict[];
}

export const PRE_MS_LIMIT = 0.05;
export const PRE_PRECISION_GOAL = 0.98;
export const TERMINAL_ACCURACY_GOAL = 0.85;
export const CATEGORY_ACCURACY_GOAL = 0.8;

/** Mean time per call over enough rounds to be well above the timer's resolution, after a warm-up (steady state, not the JIT's first pass). */
function perCall(texts: string[], fn: (text: string) => unknown): number {
  for (let i = 0; i < 2_000; i++) fn(texts[i % texts.length]!);
  const rounds = Math.max(1, Math.ceil(20_000 / texts.length));
  const started = performance.now();
  for (let r = 0; r < rounds; r++) for (const t of texts) fn(t);
  return (performance.now() - started) / (rounds * texts.length);
}

export function measureRouting(): RoutingFigures {
  const utterances = loadUtterances();
  const evaluation = evaluateRouting(utterances, createLogger({ level: "silent" }));
  const texts = utterances.map((u) => u.text);
  const preMsPerMessage = perCall(texts, (t) => preClassify(normalizeSlackText(t).text));
  const model = LocalIntentModel.train(utterances);
  const normalized = texts.map((t) => normalizeSlackText(t).text);
  const localMsPerMessage = perCall(normalized, (t) => model.guess(t));
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  const verdict = (goal: string, pass: boolean, detail: string): GoalVerdict => ({ target: "routing", goal, pass, detail });
  const { pre, local } = evaluation;
  return {
    utterances: utterances.length,
    evaluation,
    preMsPerMessage,
    localMsPerMessage,
    verdicts: [
      verdict(`pre-classifier < ${PRE_MS_LIMIT} ms per message`, preMsPerMessage < PRE_MS_LIMIT, `${preMsPerMessage.toFixed(4)} ms`),
      verdict(`pre-classifier ≥ ${pct(PRE_PRECISION_GOAL)} precise on what it claims`, pre.precision >= PRE_PRECISION_GOAL, `${pct(pre.precision)} of ${pre.claimed} claimed (coverage ${pct(pre.coverage)})`),
      verdict("pre-classifier claims no compound message", pre.compoundClaimed === 0, `${pre.compoundClaimed} claimed`),
      verdict(`local terminal accuracy ≥ ${pct(TERMINAL_ACCURACY_GOAL)} (held out)`, local.terminalAccuracy >= TERMINAL_ACCURACY_GOAL, `${pct(local.terminalAccuracy)} of ${evaluation.heldOut}`),
      verdict(`local category accuracy ≥ ${pct(CATEGORY_ACCURACY_GOAL)} (held out)`, local.categoryAccuracy >= CATEGORY_ACCURACY_GOAL, `${pct(local.categoryAccuracy)} of ${evaluation.heldOut}`),
    ],
  };
}

export function renderRouting(r: RoutingFigures, table: (head: string[], rows: Array<Array<string | number>>) => string): string[] {
  const { pre, local } = r.evaluation;
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  return [
    `Routing without a model — ${r.utterances} labelled utterances (src/routing/utterances), ${r.evaluation.heldOut} held out; trained in ${Math.round(r.evaluation.trainMs)} ms`,
    table(
      ["measure", "value"],
      [
        ["pre-classifier coverage (single requests it claims)", pct(pre.coverage)],
        ["pre-classifier precision", `${pct(pre.precision)} (${pre.claimed - pre.wrong.length}/${pre.claimed})`],
        ["compound messages the pre-classifier claimed", pre.compoundClaimed],
        ["pre-classifier ms per message (normalize + table)", r.preMsPerMessage.toFixed(4)],
        ["local category accuracy (held out)", pct(local.categoryAccuracy)],
        ["terminal accuracy, no model (held out)", pct(local.terminalAccuracy)],
        ["compound messages taken as one confident request", `${local.compoundClaimedConfidently} of ${local.compoundTotal}`],
        ["local classifier ms per message", r.localMsPerMessage.toFixed(4)],
      ],
    ),
    `Most frequent confusions (expected → got): ${local.confusions.slice(0, 6).map((c) => `${c.expected}→${c.got} ×${c.count}`).join(", ")}`,
    "",
  ];
}
