// `npm run bench`: Piper measured side by side with baselines in one run; prints a table and writes bench/results.json.
import { writeFileSync } from "node:fs";
import { startLocalSlack } from "../src/local/index.js";
import { measureBreaker } from "./breaker.js";
import { benchPostgresServer, BOT_TOKEN, SIGNING_SECRET, startBenchPiper } from "./piper-under-test.js";
import { runStep, startBareBoltEcho, type LoadStep } from "./slack-load.js";
import { table } from "./stats.js";

const RATES = (process.env.BENCH_RATES ?? "25,50,100,200,400").split(",").map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

async function slackLoad(): Promise<{ steps: LoadStep[]; highestCleanRate: Record<string, number> }> {
  const slack = await startLocalSlack({ port: 0, signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN, retryDelaysMs: [] });
  const bare = await startBareBoltEcho(slack, BOT_TOKEN, SIGNING_SECRET);
  const pipers = [{ name: "Piper (PGlite)", piper: await startBenchPiper(slack) }];
  const postgres = await benchPostgresServer();
  if (postgres) pipers.push({ name: "Piper (PostgreSQL)", piper: await startBenchPiper(slack, {}, postgres) });
  else process.stderr.write("no PostgreSQL reachable (BENCH_DATABASE_URL); measuring PGlite only\n");
  const targets = [
    ...pipers.map(({ name, piper }) => ({ name, eventsUrl: piper.eventsUrl, idle: () => piper.piper.slack.queue.pending === 0 })),
    bare.target,
  ];
  // Warm both up (JIT, connection pools, first PGlite writes) before anything is measured.
  for (const target of targets) await runStep(slack, target, slack.botUserId, 20, 1);
  const steps: LoadStep[] = [];
  for (const rate of RATES) {
    for (const target of targets) {
      process.stderr.write(`load: ${target.name} at ${rate}/s…\n`);
      steps.push(await runStep(slack, target, slack.botUserId, rate, SECONDS));
    }
  }
  for (const { piper } of pipers) await piper.stop();
  await bare.stop();
  await slack.close();
  const highestCleanRate: Record<string, number> = {};
  for (const t of targets) {
    const clean = steps.filter((s) => s.target === t.name && s.lost === 0 && s.lateOrFailedAcks === 0).map((s) => s.rate);
    highestCleanRate[t.name] = clean.length ? Math.max(...clean) : 0;
  }
  return { steps, highestCleanRate };
}

async function main(): Promise<void> {
  const load = await slackLoad();
  process.stderr.write("breaker: GitHub down, with and without a breaker…\n");
  const breaker = await measureBreaker();

  const out: string[] = [];
  out.push(`Slack load — mentions offered per second for ${SECONDS}s each, through the emulator (real signing, real Bolt), same run`);
  out.push(
    table(
      ["target", "rate/s", "sent", "replies", "lost", "late acks", "ack p50 ms", "ack p95", "ack p99", "reply p50 ms", "reply p95", "reply p99"],
      load.steps.map((s) => [s.target, s.rate, s.sent, s.replies, s.lost, s.lateOrFailedAcks, s.ack.p50, s.ack.p95, s.ack.p99, s.reply.p50, s.reply.p95, s.reply.p99]),
    ),
  );
  out.push("");
  const ratioRows = load.steps
    .filter((s) => s.target.startsWith("Piper"))
    .map((p) => {
      const b = load.steps.find((s) => s.target === "bare Bolt echo" && s.rate === p.rate)!;
      return { target: p.target, rate: p.rate, ackP95: p.ack.p95 / b.ack.p95, replyP50: p.reply.p50 / b.reply.p50, replyP95: p.reply.p95 / b.reply.p95 };
    });
  out.push("Piper ÷ bare Bolt echo at the same rate (1.0 = the floor every Bolt app pays)");
  out.push(table(["target", "rate/s", "ack p95 ×", "reply p50 ×", "reply p95 ×"], ratioRows.map((r) => [r.target, r.rate, r.ackP95, r.replyP50, r.replyP95])));
  out.push(`Highest offered rate with no lost reply and no late ack: ${Object.entries(load.highestCleanRate).map(([k, v]) => `${k} ${v}/s`).join(", ")} (of ${RATES.join(", ")}/s tried)`);
  out.push("");
  out.push(`GitHub down (every request fails with 503 after ${breaker.githubFailureMs} ms): time until the user gets the answer to /piper projects`);
  out.push(
    table(
      ["", "n", "p50 ms", "p95 ms", "p99 ms"],
      [
        ["breaker open", breaker.withBreaker.n, breaker.withBreaker.p50, breaker.withBreaker.p95, breaker.withBreaker.p99],
        ["no breaker", breaker.withoutBreaker.n, breaker.withoutBreaker.p50, breaker.withoutBreaker.p95, breaker.withoutBreaker.p99],
      ],
    ),
  );
  out.push(`Speed-up from the breaker (p50): ${(breaker.withoutBreaker.p50 / breaker.withBreaker.p50).toFixed(1)}×`);
  process.stdout.write(`${out.join("\n")}\n`);

  const results = {
    generatedAt: new Date().toISOString(),
    node: process.version,
    slackLoad: { secondsPerStep: SECONDS, ...load, ratios: ratioRows },
    breaker: { ...breaker, speedupP50: breaker.withoutBreaker.p50 / breaker.withBreaker.p50 },
  };
  writeFileSync(new URL("./results.json", import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write("Wrote bench/results.json\n");
  process.exit(0);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
