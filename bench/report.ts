// Renders the bench's results as plain-text tables: absolute figures, Piper ÷ bare ratios, goals, head-of-line, breaker.
import type { BreakerFigures } from "./breaker.js";
import { renderRouting, type RoutingFigures } from "./routing.js";
import type { WorkflowSpeedup } from "./workflow-speedup.js";
import type { StandupBench } from "./standup.js";
import { renderSpatial, type SpatialFigures } from "./spatial.js";
import type { GoalVerdict, SkippedStep } from "./goals.js";
import type { HeadOfLine, LoadStep } from "./slack-load.js";
import { formatNumber as fmt, table } from "./stats.js";

export interface BenchResults {
  generatedAt: string;
  node: string;
  loadAverageAtStart: number;
  durationSeconds: number;
  knobs: { rates: number[]; seconds: number; channels: number; replyBoundMs: number; backends: string[]; logLevel: string; parts: string[]; ambientMultiplier: number; ambientChannels: number };
  slackLoad: {
    steps: LoadStep[];
    skipped: SkippedStep[];
    highestCleanRate: Record<string, number>;
    replyRounds: LoadStep[];
    bareHighestClean: number;
    cleanLimit: number;
    verdicts: GoalVerdict[];
  };
  headOfLine: HeadOfLine[];
  routing?: RoutingFigures;
  workflow?: WorkflowSpeedup;
  standup?: StandupBench;
  breaker?: BreakerFigures;
  spatial?: SpatialFigures;
  notes: string[];
}

export function renderReport(r: BenchResults, bare: string): string {
  const out: string[] = [];
  if (r.routing) out.push(...renderRouting(r.routing, table));
  if (r.workflow) {
    const w = r.workflow;
    out.push(
      "Workflow engine — 10 independent tasks of 100 ms each, every run and transition recorded (embedded database)",
      table(["in parallel ms", "in sequence ms", "speedup", "engine ms per task (no-op tasks)"], [[w.parallelMs, w.sequentialMs, w.speedup, w.overheadMsPerTask]]),
      "",
    );
  }
  if (r.standup) {
    const s = r.standup;
    out.push(
      `Standup — ${s.repos} repositories, ${s.latencyMs} ms per GitHub request (the fake); one engine task per repository vs every read awaited in turn (medians)`,
      table(["in parallel ms", "in sequence ms", "speedup", "GitHub requests per standup", "first (cold) standup", "people shown"], [[s.parallelMs, s.sequentialMs, s.speedup, s.requestsPerStandup, s.requestsCold, s.people]]),
      "",
    );
  }
  const { steps } = r.slackLoad;
  const { knobs } = r;
  if (steps.length > 0) {
    out.push(
      `Slack load — mentions offered for ${knobs.seconds} s per step over up to ${knobs.channels} channels first seen in that step; each app in its own process,`,
      `Piper with its default pacing and queue. Acks count both events Slack sends per mention; ∞ = never (ack late > 3 s or failed; no reply within ${knobs.replyBoundMs / 1000} s).`,
      "cpu ms/mention: the app's CPU from the first mention until it went quiet (db cpu: its PostgreSQL server processes'); driver lag: the",
      "bench process's event-loop delay while sending; driver GC: its own major-GC pauses meanwhile; others' cores: CPU used meanwhile by anything else (other work skews every figure).",
    );
    out.push(
      table(
        ["target", "rate/s", "sent", "acked", "late acks", "replies", "twice", "busy", "lost", "ack p50 ms", "p95", "p99", "reply p50 ms", "p95", "p99", "drain s", "cpu ms/mention", "db cpu", "driver lag p99 ms", "driver GC ms", "others' cores"],
        steps.map((s) => [
          s.target,
          s.rate,
          s.sent,
          `${s.acked}/${s.events}`,
          s.lateOrFailedAcks,
          s.replies,
          s.answeredTwice,
          s.busy,
          s.lost,
          s.ack.p50,
          s.ack.p95,
          s.ack.p99,
          s.reply.p50,
          s.reply.p95,
          s.reply.p99,
          `${fmt(s.drainMs / 1000)}${s.idle ? "" : " (busy)"}`,
          s.cpuMsPerMention,
          s.databaseCpuMsPerMention,
          s.driverLagP99Ms,
          s.driverMajorGcMs,
          s.otherCores,
        ]),
      ),
    );
    for (const k of r.slackLoad.skipped) out.push(`${k.target} at ${k.rate}/s: not run (overloaded at ${k.overloadedAt}/s)`);
    out.push("");
    out.push("Piper ÷ bare Bolt echo at the same rate (1.0 = the floor every Bolt app pays)");
    const ratios = steps
      .filter((s) => s.target !== bare)
      .flatMap((p) => {
        const b = steps.find((s) => s.target === bare && s.rate === p.rate);
        return b ? [[p.target, p.rate, p.ack.p99 / b.ack.p99, p.reply.p99 / b.reply.p99] as Array<string | number>] : [];
      });
    out.push(table(["target", "rate/s", "ack p99 ×", "reply p99 ×"], ratios));
    out.push("");
    const clean = Object.entries(r.slackLoad.highestCleanRate).map(([k, v]) => `${k} ${v}/s`);
    out.push(`Highest clean rate (every step up to it: no lost or busy reply, no late ack), of ${knobs.rates.join(", ")}/s tried: ${clean.join(", ")}`);
    out.push(`Bare Bolt echo's highest clean rate: ${r.slackLoad.bareHighestClean}/s → goals apply up to ${r.slackLoad.cleanLimit}/s`);
    out.push("");
  }
  if (r.spatial) out.push(...renderSpatial(r.spatial, bare, table));
  const workflowVerdict = r.workflow
    ? [{ target: "workflow engine", goal: "speedup of 10 independent 100 ms tasks ≥ 9×", pass: r.workflow.speedup >= 9, detail: `${r.workflow.speedup.toFixed(1)}× (${Math.round(r.workflow.parallelMs)} ms vs ${Math.round(r.workflow.sequentialMs)} ms)` }]
    : [];
  const verdicts = [...(r.routing?.verdicts ?? []), ...workflowVerdict, ...r.slackLoad.verdicts, ...(r.spatial?.verdicts ?? [])];
  if (verdicts.length > 0) {
    out.push("GOALS");
    out.push(
      table(
        ["target", "goal", "verdict", "figures"],
        verdicts.map((v) => [v.target, v.goal, v.pass === undefined ? "n/a" : v.pass ? "PASS" : "FAIL", v.detail]),
      ),
    );
    out.push("");
  }
  if (r.headOfLine.length > 0) {
    const bareHol = r.headOfLine.find((h) => h.target === bare);
    out.push("Head-of-line: 20 mentions in one channel, then 100 ms later one in another channel — how long the other channel waits");
    out.push(
      table(
        ["target", "other channel reply ms", "× bare", "busy channel: all 20 replied ms"],
        r.headOfLine.map((h) => [h.target, h.otherChannelReplyMs, bareHol ? h.otherChannelReplyMs / bareHol.otherChannelReplyMs : Number.NaN, h.busyChannelAllRepliedMs]),
      ),
    );
    out.push("");
  }
  const b = r.breaker;
  if (b) {
    out.push(`GitHub down (every request fails with 503 after ${b.githubFailureMs} ms): time until the user gets the answer to /piper projects`);
    out.push(
      table(
        ["", "n", "p50 ms", "p95 ms", "p99 ms"],
        [
          ["breaker open", b.withBreaker.n, b.withBreaker.p50, b.withBreaker.p95, b.withBreaker.p99],
          ["no breaker", b.withoutBreaker.n, b.withoutBreaker.p50, b.withoutBreaker.p95, b.withoutBreaker.p99],
        ],
      ),
    );
    out.push(`Speed-up from the breaker (p50): ${(b.withoutBreaker.p50 / b.withBreaker.p50).toFixed(1)}×`);
    out.push("");
  }
  if (r.notes.length > 0) out.push("Notes:", ...r.notes.map((n) => `- ${n}`));
  return out.join("\n");
}
