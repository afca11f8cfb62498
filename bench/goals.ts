// The goals Piper is held to, judged from the load steps: clean up to 0.7 × the bare app's highest clean
// rate, and reply p99 at 200/s within 1.5 × the bare app's.
import type { LoadStep } from "./slack-load.js";
import { formatNumber as fmt } from "./stats.js";

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

export function judgeGoals(
  steps: LoadStep[],
  skipped: SkippedStep[],
  pipers: string[],
  bare: string,
  ladder: number[],
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
    const piperAt = steps.find((s) => s.target === target && s.rate === REPLY_GOAL_RATE);
    const bareAt = steps.find((s) => s.target === bare && s.rate === REPLY_GOAL_RATE);
    const replyGoal = `reply p99 at ${REPLY_GOAL_RATE}/s ≤ ${REPLY_P99_LIMIT_RATIO} × bare`;
    const replyNotRun = skipped.find((s) => s.target === target && s.rate === REPLY_GOAL_RATE);
    if (replyNotRun && bareAt) {
      verdicts.push({ target, goal: replyGoal, pass: false, detail: `overloaded at ${replyNotRun.overloadedAt}/s, so ${REPLY_GOAL_RATE}/s was not run` });
    } else if (!piperAt || !bareAt) {
      verdicts.push({ target, goal: replyGoal, pass: undefined, detail: `${REPLY_GOAL_RATE}/s was not measured` });
    } else if (!Number.isFinite(bareAt.reply.p99)) {
      verdicts.push({ target, goal: replyGoal, pass: undefined, detail: `the bare app itself lost ${bareAt.lost} replies at ${REPLY_GOAL_RATE}/s: no floor to compare with` });
    } else {
      const ratio = piperAt.reply.p99 / bareAt.reply.p99;
      verdicts.push({ target, goal: replyGoal, pass: ratio <= REPLY_P99_LIMIT_RATIO, detail: `${fmt(ratio)}× (${fmt(piperAt.reply.p99)} ms vs ${fmt(bareAt.reply.p99)} ms)` });
    }
  }
  return { bareHighestClean, cleanLimit, verdicts };
}
