// `npm run bench:profile`: Piper (src/main.ts, PGlite on disk) under --cpu-prof at one offered rate; prints where its CPU goes.
//
// Knobs: BENCH_PROFILE_RATE (default 200 mentions/s), BENCH_SECONDS (default 8), BENCH_CHANNELS (default 1000),
// BENCH_PROFILE_BACKEND (pglite | postgres, default pglite), BENCH_PROFILE_TOP (default 15), BENCH_LOG_LEVEL (default warn).
// Only samples from the first mention until Piper went quiet are counted (start-up, migrations and shutdown are not).
// The .cpuprofile is kept in bench/profiles/ (open it in Chrome DevTools or speedscope); the summary goes to bench/profile-results.json.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderProfileSummary, summarizeProfile, type CpuProfile } from "./profile-summary.js";
import { runStep, warmUp } from "./slack-load.js";
import { formatNumber as fmt } from "./stats.js";
import { benchPostgresServer, startPiperTarget, type Backend } from "./targets.js";

async function main(): Promise<void> {
  const rate = Number(process.env.BENCH_PROFILE_RATE ?? 200);
  const seconds = Number(process.env.BENCH_SECONDS ?? 8);
  const channels = Number(process.env.BENCH_CHANNELS ?? 1000);
  const top = Number(process.env.BENCH_PROFILE_TOP ?? 15);
  const backend = (process.env.BENCH_PROFILE_BACKEND ?? "pglite") as Backend;
  if (![rate, seconds, channels, top].every((n) => Number.isFinite(n) && n > 0)) throw new Error("BENCH_PROFILE_RATE, BENCH_SECONDS, BENCH_CHANNELS and BENCH_PROFILE_TOP must be positive numbers");
  if (backend !== "pglite" && backend !== "postgres") throw new Error(`BENCH_PROFILE_BACKEND: expected pglite or postgres, got ${backend}`);
  const postgresServer = backend === "postgres" ? await benchPostgresServer() : undefined;
  if (backend === "postgres" && !postgresServer) throw new Error("no PostgreSQL answered at BENCH_DATABASE_URL");

  const dir = fileURLToPath(new URL(`./profiles/${new Date().toISOString().replace(/[:.]/g, "-")}/`, import.meta.url));
  mkdirSync(dir, { recursive: true });
  const spawnedAt = Date.now();
  const piper = await startPiperTarget(`Piper (${backend})`, {
    backend,
    postgresServer,
    logLevel: process.env.BENCH_LOG_LEVEL ?? "warn",
    nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${dir}`],
  });
  let window: { fromMs: number; toMs: number };
  try {
    await warmUp(piper);
    process.stderr.write(`profile: Piper (${backend}) at ${rate}/s for ${seconds} s…\n`);
    const fromMs = Date.now() - spawnedAt;
    const step = await runStep(piper, { rate, seconds, channels, replyBoundMs: 15_000, label: `r${rate}` });
    window = { fromMs, toMs: Date.now() - spawnedAt };
    for (const [msg, n] of piper.warningMessages()) process.stderr.write(`  Piper logged ${n}× "${msg}"\n`);
    process.stderr.write(
      `  sent ${step.sent}, lost ${step.lost}, late acks ${step.lateOrFailedAcks}, ack p99 ${fmt(step.ack.p99)} ms, reply p99 ${fmt(step.reply.p99)} ms, ${fmt(step.cpuMsPerMention)} cpu ms/mention\n`,
    );
  } finally {
    // The profile is written when Piper exits, so it must shut down cleanly on SIGINT.
    const { exitCode } = await piper.stop();
    if (exitCode !== 0) process.stderr.write(`Piper exited with code ${exitCode} on SIGINT\n`);
  }
  // One file per thread: CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile; thread 0 is Piper's main thread,
  // the others are helpers (tsx's module-loader hooks).
  const files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
  const file = files.find((f) => f.split(".")[4] === "0");
  if (!file) throw new Error(`no main-thread .cpuprofile in ${dir}: did Piper exit cleanly?`);
  // The profile's clock starts when Piper's process does, a few ms after spawn: the window is shifted by that much at most.
  const read = (f: string) => JSON.parse(readFileSync(`${dir}${f}`, "utf8")) as CpuProfile;
  const summary = summarizeProfile(read(file), window);
  process.stdout.write(`CPU profile of Piper (${backend}) at ${rate}/s, main thread, from the first mention until it went quiet: ${dir}${file}\n`);
  process.stdout.write(`${renderProfileSummary(summary, top)}\n`);
  for (const other of files.filter((f) => f !== file)) {
    process.stdout.write(`Other thread ${other}: busy ${fmt(summarizeProfile(read(other), window).busyMs)} ms in the same window\n`);
  }
  const out = { generatedAt: new Date().toISOString(), rate, seconds, backend, profile: `${dir}${file}`, ...summary, functions: summary.functions.slice(0, 50) };
  writeFileSync(new URL("./profile-results.json", import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
  process.exit(0);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:profile failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
