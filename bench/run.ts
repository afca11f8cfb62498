// `npm run bench`: Piper measured the way production loads it, side by side with a bare Bolt app, in one run.
//
// How: Piper runs as users run it — `npm start`'s command (its node flags read from package.json) in its own
// process, HTTP receiver, real request signing, its default pacing and queue settings, on a fresh PGlite
// folder on disk and on a fresh PostgreSQL database (created and dropped here). A bare Bolt echo app
// (bench/bare-bolt-echo.ts) runs in its own process too: the floor any Bolt app pays. Each app gets its own
// local Slack emulator in this process, which delivers to its /slack/events like Slack does (a message and an
// app_mention event per mention; no redelivery, but acks later than 3 s or not 2xx are counted: Slack would
// retry them). Each step offers mentions at one rate, spread over fresh channels that no app has seen before;
// targets alternate at each rate, and each step starts only once the previous target has gone quiet (every
// reply in, no Web API call for 500 ms; at most 30 s past the reply bound). A Piper that lost over a quarter
// of its mentions at a rate, or never went quiet, is not offered higher rates (the goals count that as a
// failure); the bare app always climbs the whole ladder.
//
// Knobs (environment variables):
//   BENCH_RATES           mentions offered per second, one step per rate       default 50,100,200,400
//   BENCH_SECONDS         length of each step in seconds                       default 8
//   BENCH_CHANNELS        fresh channels each step's mentions are spread over  default 1000
//   BENCH_REPLY_BOUND_MS  a mention with no reply this long after it is lost   default 15000
//   BENCH_BACKENDS        Piper back ends to measure                           default pglite,postgres
//   BENCH_DATABASE_URL    PostgreSQL server for the postgres back end          default postgres://postgres@127.0.0.1:5432/postgres
//   BENCH_LOG_LEVEL       Piper's LOG_LEVEL                                    default warn
//   BENCH_GOAL_ROUNDS     rounds at 200/s the reply goal's medians take (the ladder's step is round 1)  default 5
//   BENCH_PIPER_NODE_ARGS node flags for Piper's process, e.g. V8 heap settings    default none
//   BENCH_PARTS           measurements to run, of routing (the classifiers on the labelled utterances, no model),
//                         load, hol (head-of-line), breaker (GitHub down), spatial (below), and goal (with load):
//                         a step at exactly 0.7 × the bare app's highest clean rate when that is not on the
//                         ladder, and the reply goal's extra rounds at 200/s (about 2 minutes more); workflow:
//                         the engine's speedup for 10 independent 100 ms tasks and its cost per task; standup: a
//                         standup of 3 repositories with 100 ms per GitHub request, in parallel vs every read in
//                         sequence, and GitHub requests per standup
//                                                                default routing,workflow,standup,load,goal,hol,breaker,spatial
//   BENCH_AMBIENT_MULTIPLIER  spatial: ambient messages per mention in the latency steps      default 5
//   BENCH_AMBIENT_CHANNELS    spatial: fresh channels the ambient messages are spread over    default 200
//
// spatial (issue 11): ranking 10k and 100k synthetic rooms (bench/attention.ts, in this process); then, against
// the same app processes: plain channel messages (no mention) offered for BENCH_SECONDS as fast as the emulator
// delivers them (64 in flight) — folded in = the rooms' attentionState.seen, read from Piper's database after it
// stopped (lost = offered − folded); and mentions at 200/s with and without ambient traffic at
// BENCH_AMBIENT_MULTIPLIER × 200/s into other channels, Piper's reply p99 against the bare app's under the same traffic.
// `npm run bench:profile` (bench/profile.ts) profiles Piper's process under load instead.
//
// Exit code 0 whenever the bench ran, whether or not Piper met its goals (the GOALS table says); 1 if it broke.
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { measureBreaker, type BreakerFigures } from "./breaker.js";
import { judgeGoals, highestCleanRate, CLEAN_SHARE, REPLY_GOAL_RATE, type SkippedStep } from "./goals.js";
import { renderReport, type BenchResults } from "./report.js";
import { headOfLine, runStep, warmUp, type HeadOfLine, type LoadStep } from "./slack-load.js";
import { benchPostgresServer, startBareTarget, startPiperTarget, type Backend, type Target } from "./targets.js";
import { measureRouting, type RoutingFigures } from "./routing.js";
import { measureWorkflowSpeedup, type WorkflowSpeedup } from "./workflow-speedup.js";
import { measureStandup, type StandupBench } from "./standup.js";
import { judgeSpatial, measureAmbientThroughput, measureAttentionCore, mentionsWithAmbient, readSeen, settleFolded, spatialNotes, SPATIAL_MENTION_RATE, spatialForJson, type SpatialFigures } from "./spatial.js";

const PARTS = ["routing", "workflow", "standup", "load", "goal", "hol", "breaker", "spatial"] as const;
const BACKEND_NAMES: Record<Backend, string> = { pglite: "Piper (PGlite)", postgres: "Piper (PostgreSQL)" };
const BARE = "bare Bolt echo";

function readKnobs() {
  const env = process.env;
  const list = (name: string, fallback: string) =>
    (env[name] ?? fallback)
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  const positive = (name: string, fallback: number) => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${name}: expected a positive number, got ${env[name]}`);
    return value;
  };
  const rates = list("BENCH_RATES", "50,100,200,400").map(Number);
  if (rates.length === 0 || rates.some((r) => !Number.isFinite(r) || r <= 0)) throw new Error(`BENCH_RATES: expected positive numbers, got ${env.BENCH_RATES}`);
  const backends = list("BENCH_BACKENDS", "pglite,postgres");
  for (const b of backends) if (!(b in BACKEND_NAMES)) throw new Error(`BENCH_BACKENDS: unknown back end ${b} (pglite, postgres)`);
  const parts = list("BENCH_PARTS", "routing,workflow,standup,load,goal,hol,breaker,spatial");
  for (const p of parts) if (!(PARTS as readonly string[]).includes(p)) throw new Error(`BENCH_PARTS: unknown part ${p} (${PARTS.join(", ")})`);
  return {
    rates: [...new Set(rates)].sort((a, b) => a - b),
    seconds: positive("BENCH_SECONDS", 8),
    channels: Math.round(positive("BENCH_CHANNELS", 1000)),
    replyBoundMs: positive("BENCH_REPLY_BOUND_MS", 15_000),
    backends: backends as Backend[],
    logLevel: env.BENCH_LOG_LEVEL ?? "warn",
    goalRounds: Math.round(positive("BENCH_GOAL_ROUNDS", 5)),
    piperNodeArgs: (env.BENCH_PIPER_NODE_ARGS ?? "").split(/\s+/).filter(Boolean),
    parts: new Set(parts),
    ambientMultiplier: positive("BENCH_AMBIENT_MULTIPLIER", 5),
    ambientChannels: Math.round(positive("BENCH_AMBIENT_CHANNELS", 200)),
  };
}
export type Knobs = ReturnType<typeof readKnobs>;

const say = (line: string) => process.stderr.write(`${line}\n`);

async function startTargets(knobs: Knobs, notes: string[]): Promise<Target[]> {
  const postgres = knobs.backends.includes("postgres") ? await benchPostgresServer() : undefined;
  if (knobs.backends.includes("postgres") && !postgres) notes.push("No PostgreSQL answered at BENCH_DATABASE_URL: Piper was measured on PGlite only.");
  const backends = knobs.backends.filter((b) => b !== "postgres" || postgres);
  const started = await Promise.allSettled([
    startBareTarget(BARE),
    ...backends.map((b) => startPiperTarget(BACKEND_NAMES[b], { backend: b, postgresServer: postgres, logLevel: knobs.logLevel, nodeArgs: knobs.piperNodeArgs })),
  ]);
  const targets = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const failed = started.find((s) => s.status === "rejected");
  if (failed) {
    await Promise.all(targets.map((t) => t.stop()));
    throw (failed as PromiseRejectedResult).reason;
  }
  return targets;
}

interface SlackLoadFigures {
  steps: LoadStep[];
  skipped: SkippedStep[];
  /** Extra rounds at the reply goal's rate (the goal's medians; not in the table). */
  replyRounds: LoadStep[];
  headOfLine: HeadOfLine[];
  /** The spatial part's runs against the apps (folded counts are filled in once Piper has stopped). */
  spatial?: Pick<SpatialFigures, "throughput" | "latency">;
}

async function slackLoad(knobs: Knobs, targets: Target[], notes: string[]): Promise<SlackLoadFigures> {
  const steps: LoadStep[] = [];
  const skipped: SkippedStep[] = [];
  const overloadedAt = new Map<string, number>();
  const replyRounds: LoadStep[] = [];
  /** One measured step, with a note when the app never went quiet or the driver could not offer the rate. */
  const measure = async (target: Target, rate: number, label: string) => {
    const s = await runStep(target, { rate, seconds: knobs.seconds, channels: knobs.channels, replyBoundMs: knobs.replyBoundMs, label });
    if (!s.idle) notes.push(`${target.name} at ${rate}/s was still working ${Math.round(s.drainMs / 1000)} s after its last mention; the next step started anyway.`);
    if (s.sentPerSecond < 0.95 * rate) notes.push(`The driver offered only ${s.sentPerSecond.toFixed(0)}/s of ${rate}/s to ${target.name}: the bench process could not keep up.`);
    return s;
  };
  const step = async (target: Target, rate: number) => {
    const over = overloadedAt.get(target.name);
    if (over !== undefined && rate > over) {
      skipped.push({ target: target.name, rate, overloadedAt: over });
      return;
    }
    say(`load: ${target.name} at ${rate}/s…`);
    const s = await measure(target, rate, `r${rate}`);
    // A Piper that lost over a quarter of its mentions, or never went quiet, is not offered more: the step
    // would only take long and load the machine under the next target's measurement. The bare app, the
    // reference, always climbs the whole ladder.
    if (target.kind === "piper" && (!s.idle || s.lost > s.sent / 4)) overloadedAt.set(target.name, rate);
    steps.push(s);
  };
  // Warm-up (JIT, connection pools, first writes); not measured.
  for (const target of targets) await warmUp(target);
  if (knobs.parts.has("load")) {
    for (const rate of knobs.rates) for (const target of targets) await step(target, rate);
    const goalRate = Math.floor(CLEAN_SHARE * highestCleanRate(steps, BARE, knobs.rates));
    if (knobs.parts.has("goal") && goalRate > 0 && !knobs.rates.includes(goalRate)) {
      for (const target of targets) await step(target, goalRate);
    }
    // More rounds at the reply goal's rate, alternating targets, for the goal's medians (not in the table).
    if (knobs.parts.has("goal") && knobs.rates.includes(REPLY_GOAL_RATE)) {
      for (let round = 2; round <= knobs.goalRounds; round++) {
        for (const target of targets) {
          if (overloadedAt.has(target.name)) continue;
          say(`goal: ${target.name} at ${REPLY_GOAL_RATE}/s, round ${round} of ${knobs.goalRounds}…`);
          replyRounds.push(await measure(target, REPLY_GOAL_RATE, `r${REPLY_GOAL_RATE}-round${round}`));
        }
      }
    }
  }
  const busyMachine = steps.filter((s) => s.otherCores > 0.25);
  if (busyMachine.length > 0) {
    notes.push(`Other processes used up to ${Math.max(...busyMachine.map((s) => s.otherCores)).toFixed(1)} cores during ${busyMachine.length} of ${steps.length} steps (see "others' cores"): those figures are skewed by the machine, not by the app.`);
  }
  const lagged = steps.filter((s) => s.driverLagP99Ms > 50);
  if (lagged.length > 0) {
    const worst = Math.max(...lagged.map((s) => s.driverLagP99Ms));
    notes.push(`The bench process's own event loop lagged (p99 up to ${worst.toFixed(0)} ms in ${lagged.length} of ${steps.length} steps): acks and replies faster than that cannot be told apart there.`);
  }
  const measured = [...steps, ...replyRounds];
  const twice = measured.filter((s) => s.answeredTwice > 0);
  if (twice.length > 0) {
    notes.push(`Mentions answered twice (a second chat.postMessage in their thread) in ${twice.length} of ${measured.length} steps and rounds, ${twice.reduce((n, s) => n + s.answeredTwice, 0)} in all (the table's "twice"): a Slack user would see two answers.`);
  }
  const collected = measured.filter((s) => s.driverMajorGcMs > 0);
  if (collected.length > 0) {
    const worst = Math.max(...collected.map((s) => s.driverMajorGcMs));
    notes.push(`The bench process paused for its own major GC in ${collected.length} of ${measured.length} steps and rounds (up to ${worst.toFixed(0)} ms; the table's "driver GC ms"): replies that arrived then were timed late by the bench.`);
  }
  const hol: HeadOfLine[] = [];
  if (knobs.parts.has("hol")) {
    say("head-of-line: 20 mentions in one channel, then one in another…");
    // Tiny load, each target on its own emulator: measured concurrently to save the pacing wait.
    hol.push(...(await Promise.all(targets.map((t) => headOfLine(t)))));
  }
  let spatial: SlackLoadFigures["spatial"];
  if (knobs.parts.has("spatial")) {
    spatial = { throughput: [], latency: [] };
    for (const target of targets) {
      say(`spatial: ${target.name}, plain messages as fast as they are acked for ${knobs.seconds} s…`);
      spatial.throughput.push(await measureAmbientThroughput(target, { seconds: knobs.seconds, channels: knobs.ambientChannels, label: "ambient" }));
    }
    const options = { seconds: knobs.seconds, ambientChannels: knobs.ambientChannels, ambientMultiplier: knobs.ambientMultiplier, replyBoundMs: knobs.replyBoundMs };
    const quiet = (target: Target) => steps.find((s) => s.target === target.name && s.rate === SPATIAL_MENTION_RATE && s.seconds === knobs.seconds);
    for (const target of targets) {
      // The load part's step at this rate is the same measurement: reused rather than run again.
      const reused = quiet(target);
      if (reused) spatial.latency.push(reused);
      else if (!skipped.some((k) => k.target === target.name && k.rate === SPATIAL_MENTION_RATE)) {
        say(`spatial: ${target.name}, ${SPATIAL_MENTION_RATE} mentions/s without ambient traffic…`);
        spatial.latency.push(await runStep(target, { rate: SPATIAL_MENTION_RATE, seconds: knobs.seconds, channels: knobs.channels, replyBoundMs: knobs.replyBoundMs, label: "spatial-quiet" }));
      }
    }
    for (const target of targets) {
      say(`spatial: ${target.name}, ${SPATIAL_MENTION_RATE} mentions/s with ${knobs.ambientMultiplier * SPATIAL_MENTION_RATE} ambient messages/s…`);
      const s = await mentionsWithAmbient(target, options, "spatial-ambient");
      if (!s.idle) notes.push(`${target.name} with ambient traffic was still working ${Math.round(s.drainMs / 1000)} s after the last message; the next step started anyway.`);
      spatial.latency.push(s);
    }
  }
  for (const t of targets) {
    const messages = [...t.warningMessages()].sort((a, b) => b[1] - a[1]);
    if (messages.length > 0) notes.push(`${t.name} logged ${t.warnings()} warnings or errors: ${messages.slice(0, 5).map(([m, n]) => `${n}× "${m}"`).join(", ")}`);
  }
  for (const t of targets) if (t.exitCode() !== null) notes.push(`${t.name} exited (code ${t.exitCode()}) during the run; last output:\n    ${t.tail().join("\n    ")}`);
  return { steps, skipped, replyRounds, headOfLine: hol, spatial };
}

async function main(): Promise<void> {
  const knobs = readKnobs();
  const startedAt = Date.now();
  const notes: string[] = [];
  const loadAverage = loadavg()[0]!;
  if (loadAverage > 1) notes.push(`Load average was ${loadAverage.toFixed(1)} when the bench started: other work shared the CPU, so absolute figures are noisy (ratios less so).`);

  let workflow: WorkflowSpeedup | undefined;
  if (knobs.parts.has("workflow")) {
    say("workflow: 10 independent 100 ms tasks through the engine vs in sequence…");
    workflow = await measureWorkflowSpeedup();
  }

  let standup: StandupBench | undefined;
  if (knobs.parts.has("standup")) {
    say("standup: 3 repositories at 100 ms per GitHub request, in parallel vs in sequence…");
    standup = await measureStandup();
  }

  let routing: RoutingFigures | undefined;
  if (knobs.parts.has("routing")) {
    say("routing: classifiers on the labelled utterances…");
    routing = measureRouting();
  }

  let spatial: SpatialFigures | undefined;
  if (knobs.parts.has("spatial")) {
    // In this process, before any app runs: the machine is as quiet as it gets.
    say("spatial: ranking 10k and 100k rooms…");
    spatial = { ...measureAttentionCore(), throughput: [], latency: [], latencyAmbientFolded: {}, verdicts: [] };
  }

  let load: SlackLoadFigures = { steps: [], skipped: [], replyRounds: [], headOfLine: [] };
  let targetNames: string[] = [];
  if (knobs.parts.has("load") || knobs.parts.has("hol") || knobs.parts.has("spatial")) {
    const targets = await startTargets(knobs, notes);
    targetNames = targets.map((t) => t.name);
    try {
      load = await slackLoad(knobs, targets, notes);
      if (spatial && load.spatial) Object.assign(spatial, load.spatial);
    } finally {
      for (const t of targets) {
        // What Piper folded in is read from its database once it has exited (its last room write is part of shutdown).
        const database = t.database;
        const readFolded =
          spatial && database
            ? async () => {
                const channelIds = [...spatial.throughput.filter((x) => x.target === t.name).flatMap((x) => x.channelIds), ...spatial.latency.filter((s) => s.target === t.name && s.ambient).flatMap((s) => s.ambient!.channelIds)];
                if (channelIds.length === 0) return;
                try {
                  settleFolded(spatial, t.name, await readSeen(database, channelIds));
                } catch (err) {
                  notes.push(`Could not read ${t.name}'s rooms after it stopped: ${(err as Error).message}`);
                }
              }
            : undefined;
        const { exitCode } = await t.stop(readFolded);
        if (exitCode !== 0) notes.push(`${t.name} did not shut down cleanly on SIGINT (exit code ${exitCode}).`);
      }
    }
  }
  let breaker: BreakerFigures | undefined;
  if (knobs.parts.has("breaker")) {
    say("breaker: GitHub down, with and without a breaker…");
    breaker = await measureBreaker();
  }

  const pipers = targetNames.filter((n) => n !== BARE);
  if (spatial) {
    spatial.verdicts = judgeSpatial(spatial, pipers, BARE, knobs.ambientMultiplier);
    notes.push(...spatialNotes(spatial));
  }
  const results: BenchResults = {
    generatedAt: new Date().toISOString(),
    node: process.version,
    loadAverageAtStart: loadAverage,
    durationSeconds: Math.round((Date.now() - startedAt) / 1000),
    knobs: { ...knobs, parts: [...knobs.parts] },
    slackLoad: {
      steps: load.steps,
      skipped: load.skipped,
      highestCleanRate: Object.fromEntries(targetNames.map((n) => [n, highestCleanRate(load.steps, n, knobs.rates)])),
      // Only when the ladder ran: otherwise every load goal would read n/a.
      replyRounds: load.replyRounds,
      ...judgeGoals(load.steps, load.skipped, knobs.parts.has("load") ? pipers : [], BARE, knobs.rates, load.replyRounds),
    },
    headOfLine: load.headOfLine,
    routing,
    workflow,
    standup,
    breaker,
    spatial,
    notes,
  };
  process.stdout.write(`${renderReport(results, BARE)}\n`);
  // JSON has no ∞: a lost reply or failed ack inside a percentile is written as the string "Infinity".
  const json = JSON.stringify({ ...results, spatial: spatial && spatialForJson(spatial) }, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? (Number.isNaN(v) ? null : String(v)) : v), 2);
  writeFileSync(new URL("./results.json", import.meta.url), `${json}\n`);
  process.stdout.write(`Wrote bench/results.json (${results.durationSeconds} s)\n`);
  process.exit(0);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
