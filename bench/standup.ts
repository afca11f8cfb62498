// What reading a standup's repositories in parallel buys: the standup for a project of 3 repositories (the GitHub fake's
// acme organisation) with 100 ms of latency on every GitHub request, through the engine (one task per repository, each
// repository's own reads in parallel) versus the very same standup with every GitHub read awaited one by one; and how
// many GitHub requests one standup makes. Not run by the tests: `node --import tsx bench/standup.ts`.
//
// How it measures: like bench/workflow-speedup.ts, each figure is the median of RUNS runs after one warm-up of each
// kind, parallel and sequential interleaved so a slow patch of the machine hits both. "Sequential" is the same
// StandupWorkflow with a GitHub client whose calls wait for each other (a queue of one): the same reads, the same
// engine, only the overlap taken away. Requests are counted at the fake: a standup after the first finds people's
// public e-mails in Piper's one-hour cache, so the cold (first) standup's count is given too.
import { pathToFileURL } from "node:url";
import { loadConfig } from "../src/config.js";
import { openDatabase } from "../src/db/index.js";
import type { GitHubClient } from "../src/integrations/github.js";
import { createIntegrations } from "../src/integrations/index.js";
import { createLogger } from "../src/logger.js";
import { WorkflowEngine } from "../src/workflows/engine.js";
import { ProjectDirectory } from "../src/workflows/projects.js";
import { PrismaRunStore } from "../src/workflows/run-store.js";
import { GitHubLogins } from "../src/workflows/standup/github-logins.js";
import { PeopleDirectory } from "../src/workflows/standup/people.js";
import { StandupWorkflow } from "../src/workflows/standup/standup.js";
import { startGitHubFake } from "../test/fakes/github.js";
import { median } from "./stats.js";

export interface StandupBench {
  repos: number;
  latencyMs: number;
  parallelMs: number;
  sequentialMs: number;
  speedup: number;
  /** GitHub requests of one standup once people's e-mails are cached, and of the first (cold) one. */
  requestsPerStandup: number;
  requestsCold: number;
  /** People shown in the measured standup (a check that it read something). */
  people: number;
}

const RUNS = 5;
const MONDAY = new Date("2026-03-16T09:00:00Z");
const TEXT = "standup for acme/web, acme/mobile and acme/api";

/** The same client with its calls queued one at a time: the sequential baseline. */
function oneAtATime(github: GitHubClient): GitHubClient {
  let tail: Promise<unknown> = Promise.resolve();
  return new Proxy(github, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const run = tail.then(() => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args));
        tail = run.catch(() => undefined);
        return run;
      };
    },
  });
}

export async function measureStandup(latencyMs = 100): Promise<StandupBench> {
  const logger = createLogger({ level: "silent" });
  const fake = await startGitHubFake({ now: MONDAY });
  // Every request waits `latencyMs` before the fake answers (delays are taken one per request, so queue plenty).
  const delay = () => fake.delayNext(latencyMs, 100_000);
  delay();
  const config = loadConfig({ LOG_LEVEL: "silent", GITHUB_API_URL: fake.url, GITHUB_TOKEN: fake.token, PIPER_TIME_ZONE: "Europe/London" });
  const integrations = await createIntegrations({ config, logger });
  const db = await openDatabase({ kind: "pglite", dataDir: ":memory:" }, logger);
  try {
    const build = (github: GitHubClient, instanceId: string) =>
      new StandupWorkflow({
        engine: new WorkflowEngine({ store: new PrismaRunStore(db), instanceId, logger }),
        github,
        prisma: db.prisma,
        githubOpen: () => false,
        model: () => undefined,
        projects: new ProjectDirectory(db.prisma),
        roomRepo: async () => undefined,
        people: new PeopleDirectory({ logins: new GitHubLogins(db.prisma), github, slack: () => undefined, logger }),
        timeZone: "Europe/London",
        now: () => MONDAY,
        logger,
      });
    const parallel = build(integrations.github, "bench-parallel");
    const sequential = build(oneAtATime(integrations.github), "bench-sequential");
    const ask = { teamId: "TBENCH", channelId: "CBENCH", text: TEXT, now: MONDAY };

    const counted = async (w: StandupWorkflow) => {
      const before = fake.calls.length;
      const t = performance.now();
      const answer = await w.runStandup(ask);
      return { ms: performance.now() - t, requests: fake.calls.length - before, answer };
    };
    const cold = await counted(parallel);
    await counted(sequential);

    const parallelRuns: number[] = [];
    const sequentialRuns: number[] = [];
    let last = cold;
    for (let i = 0; i < RUNS; i++) {
      last = await counted(parallel);
      parallelRuns.push(last.ms);
      sequentialRuns.push((await counted(sequential)).ms);
    }
    const people = (last.answer.blocks as Array<{ type: string }>).filter((b) => b.type === "section").length;
    const parallelMs = median(parallelRuns);
    const sequentialMs = median(sequentialRuns);
    return { repos: 3, latencyMs, parallelMs, sequentialMs, speedup: sequentialMs / parallelMs, requestsPerStandup: last.requests, requestsCold: cold.requests, people };
  } finally {
    await db.close();
    await integrations.close();
    await fake.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const f = await measureStandup();
  process.stdout.write(
    `standup of ${f.repos} repos at ${f.latencyMs} ms per GitHub request: parallel ${f.parallelMs.toFixed(0)} ms, sequential ${f.sequentialMs.toFixed(0)} ms ` +
      `(medians of ${RUNS}), speedup ${f.speedup.toFixed(1)}x; ${f.requestsPerStandup} GitHub requests per standup (${f.requestsCold} cold), ${f.people} people\n`,
  );
}
