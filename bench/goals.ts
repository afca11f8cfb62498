// The goals Piper is held to, judged from the load steps: clean up to 0.7 × the bare app's highest clean
// rate, and reply p99 at 200/s within 1.5 × the bare app's (medians over alternating rounds).
import type { LoadStep } from "./slack-load.js";
import { formatNumber as fmt, median } from "./stats.js";

export const CLEAN_SHARE = 0.7;
export const ACK_P99_LIMIT_MS = 100;
export const REPLY_GOAL_RATE = 200;
export const REPLY_P99_LIMIT_RATIO = 1.5;

export interface GoalVerdict {
  target: string;
  goal: string;
  /** undefined: could not be judged (the rate it needs was not measured). */
  pass: boolean | undefined;
  detail: string;
}

/** No lost or refused mention and no late or failed ack. */
export function isClean(step: LoadStep): boolean {
  return step.lost === 0 && step.busy === 0 && step.lateOrFailedAcks === 0;
}

/** The highest rate of the ladder up to which every step was clean (0 if the first was not). */
export function highestCleanRate(steps: LoadStep[], target: string, ladder: number[]): number {
  let highest = 0;
  for (const rate of [...ladder].sort((a, b) => a - b)) {
    const step = steps.find((s) => s.target === target && s.rate === rate);
    if (!step || !isClean(step)) break;
    highest = rate;
  }
  return highest;
}

/** A step the bench did not run because the target had already fallen over at a lower rate. */
export interface SkippedStep {
  target: string;
  rate: number;
  /** The rate at which it lost over a quarter of its mentions or was still busy when the bench moved on. */
  overloadedAt: number;
}

/**
 * A target's reply p99 at the goal rate in every round (the ladder's step, then the extra rounds), in
 * the order they ran, and their median: one 8-second step's p99 rests on its 16 slowest replies, and
 * from run to run the bare app's alone moved between 6 and 50 ms on a quiet machine. Alternating rounds
 * and taking medians compares the apps, not the moments they happened to be measured in.
 */
function replyP99s(steps: LoadStep[], rounds: LoadStep[], target: string): { all: number[]; median: number } | undefined {
  const all = [...steps, ...rounds].filter((s) => s.target === target && s.rate === REPLY_GOAL_RATE).map((s) => s.reply.p99);
  if (all.length === 0) return undefined;
  return { all, median: median(all) };
}

export function judgeGoals(
  steps: LoadStep[],
  skipped: SkippedStep[],
  pipers: string[],
  bare: string,
  ladder: number[],
  /** Extra steps at REPLY_GOAL_RATE, alternating targets, run after the ladder for the reply goal. */
  replyRounds: LoadStep[] = [],
): { bareHighestClean: number; cleanLimit: number; verdicts: GoalVerdict[] } {
  const bareHighestClean = highestCleanRate(steps, bare, ladder);
  const cleanLimit = Math.floor(CLEAN_SHARE * bareHighestClean);
  const verdicts: GoalVerdict[] = [];
  for (const target of pipers) {
    const within = steps.filter((s) => s.target === target && s.rate <= cleanLimit).sort((a, b) => a.rate - b.rate);
    const goal = `ack p99 < ${ACK_P99_LIMIT_MS} ms and no loss at every rate ≤ ${cleanLimit}/s (${CLEAN_SHARE} × bare ${bareHighestClean}/s)`;
    const notRun = skipped.find((s) => s.target === target && s.rate <= cleanLimit);
    if (notRun) {
      verdicts.push({ target, goal, pass: false, detail: `overloaded at ${notRun.overloadedAt}/s, so ${notRun.rate}/s was not run` });
    } else if (within.length === 0) {
      verdicts.push({ target, goal, pass: undefined, detail: `no rate ≤ ${cleanLimit}/s was measured` });
    } else {
      const failing = within.filter((s) => !(s.ack.p99 < ACK_P99_LIMIT_MS) || !isClean(s));
      const highest = within.at(-1)!.rate;
      const show = (s: LoadStep) => `${s.rate}/s: ack p99 ${fmt(s.ack.p99)} ms, lost ${s.lost}${s.busy ? ` (${s.busy} busy)` : ""}, late acks ${s.lateOrFailedAcks}`;
      const gap = highest < cleanLimit ? ` (highest rate measured ≤ ${cleanLimit}/s: ${highest}/s)` : "";
      verdicts.push({ target, goal, pass: failing.length === 0, detail: `${(failing.length ? failing : within.slice(-1)).map(show).join("; ")}${gap}` });
    }
    const piperAt = replyP99s(steps, replyRounds, target);
    const bareAt = replyP99s(steps, replyRounds, bare);
    const replyGoal = `reply p99 at ${REPLY_GOAL_RATE}/s ≤ ${REPLY_P99_LIMIT_RATIO} × bare`;
    const replyNotRun = skipped.find((s) => s.target === target && s.rate === REPLY_GOAL_RATE);
    if (replyNotRun && bareAt) {
      verdicts.push({ target, goal: replyGoal, pass: false, detail: `overloaded at ${replyNotRun.overloadedAt}/s, so ${REPLY_GOAL_RATE}/s was not run` });
    } else if (!piperAt || !bareAt) {
      verdicts.push({ target, goal: replyGoal, pass: undefined, detail: `${REPLY_GOAL_RATE}/s was not measured` });
    } else if (!Number.isFinite(bareAt.median)) {
      verdicts.push({ target, goal: replyGoal, pass: undefined, detail: `the bare app itself lost replies at ${REPLY_GOAL_RATE}/s: no floor to compare with` });
    } else {
      const ratio = piperAt.median / bareAt.median;
      const rounds = piperAt.all.length > 1 ? `median of ${piperAt.all.length} rounds, ${fmt(piperAt.median)} ms vs ${fmt(bareAt.median)} ms; each round: Piper ${piperAt.all.map(fmt).join("/")}, bare ${bareAt.all.map(fmt).join("/")}` : `${fmt(piperAt.median)} ms vs ${fmt(bareAt.median)} ms`;
      verdicts.push({ target, goal: replyGoal, pass: ratio <= REPLY_P99_LIMIT_RATIO, detail: `${fmt(ratio)}× (${rounds})` });
    }
  }
  return { bareHighestClean, cleanLimit, verdicts };
}
