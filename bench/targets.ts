// The apps under measurement, each in its own process with its own emulator: Piper as users run it
// (src/main.ts on a fresh PGlite folder or a fresh PostgreSQL database) and the bare Bolt echo.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { startLocalSlack, type LocalSlack } from "../src/local/index.js";
import { processCpuMs } from "./cpu.js";
import { npmScriptNodeFlags } from "./start-script.js";
import { dropDatabase, withDatabase } from "../test/support/database.js";

export const BOT_TOKEN = "xoxb-bench";
export const SIGNING_SECRET = "bench-signing-secret";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const STARTUP_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 15_000;

export type Backend = "pglite" | "postgres";

/** One app under measurement: its emulator (which delivers only to it) and its process. */
export interface Target {
  name: string;
  kind: "piper" | "bare";
  slack: LocalSlack;
  eventsUrl: string;
  /** Log lines at warn level or above the app has written so far. */
  warnings(): number;
  /** Those lines counted by message (pino's `msg`, or the line itself when it is not JSON). */
  warningMessages(): Map<string, number>;
  /** CPU time (user + system) the app's process has used so far, in ms; NaN where /proc is not available. */
  cpuMs(): number;
  /** CPU so far of each PostgreSQL server process serving the app's database, by pid (empty on PGlite: that runs inside the app). */
  databaseCpuMs(): Promise<Map<number, number>>;
  /** null while the app runs; its exit code (or -1 when killed by a signal) once it has exited. */
  exitCode(): number | null;
  /** The last lines the app wrote (stdout and stderr), for reports when something breaks. */
  tail(): string[];
  /** Where Piper keeps its data (absent for the bare app): to read what it stored, after it stopped. */
  database?: BenchDatabase;
  /**
   * SIGINT, wait for a clean exit (SIGKILL after 15 s), close its emulator, run `afterExit` (the app's
   * database still exists then: read it), then remove its database. Only the first call's `afterExit` runs.
   */
  stop(afterExit?: () => Promise<void>): Promise<{ exitCode: number | null }>;
}

export type BenchDatabase = { kind: "pglite"; dataDir: string } | { kind: "postgres"; url: string };

export interface PiperTargetOptions {
  backend: Backend;
  /** PostgreSQL server to create (and afterwards drop) a fresh database on; required for "postgres". */
  postgresServer?: string;
  logLevel: string;
  /** Node flags beside those `npm start` gives Piper, e.g. --cpu-prof. */
  nodeArgs?: string[];
  /** Extra environment for Piper. */
  env?: Record<string, string>;
}

export async function startPiperTarget(name: string, options: PiperTargetOptions): Promise<Target> {
  let cleanup: () => Promise<void>;
  let databaseCpuMs = async () => new Map<number, number>();
  let database: BenchDatabase;
  const env: Record<string, string> = { ...options.env };
  if (options.backend === "postgres") {
    if (!options.postgresServer) throw new Error("a PostgreSQL server URL is needed for the postgres back end");
    const server = options.postgresServer;
    const db = `piper_bench_${process.pid}_${randomBytes(4).toString("hex")}`;
    await adminQuery(server, `CREATE DATABASE "${db}"`);
    env.DATABASE_URL = withDatabase(server, db);
    database = { kind: "postgres", url: env.DATABASE_URL };
    cleanup = () => dropDatabase(server, db);
    databaseCpuMs = async () => {
      const pids = await adminQuery(server, `SELECT pid FROM pg_stat_activity WHERE datname = '${db}'`);
      return new Map(pids.map((row) => [Number(row.pid), processCpuMs(Number(row.pid))]));
    };
  } else {
    // A real folder on disk, as users run it (not :memory:).
    const dir = await mkdtemp(join(tmpdir(), "piper-bench-pglite-"));
    env.PIPER_DATA_DIR = dir;
    database = { kind: "pglite", dataDir: dir };
    cleanup = () => rm(dir, { recursive: true, force: true });
  }
  env.LOG_LEVEL = options.logLevel;
  env.LOG_FORMAT = "json"; // the bench reads Piper's warnings from its JSON lines
  env.PIPER_HOST = "127.0.0.1";
  env.PIPER_PORT = "0";
  // `npm start`'s own node flags first (as users run it), then the bench's extra ones.
  const nodeArgs = [...npmScriptNodeFlags(join(ROOT, "package.json")), ...(options.nodeArgs ?? [])];
  return startTarget({ name, kind: "piper", entry: "src/main.ts", env, nodeArgs, ready: /\(health: (http:\/\/\S+)\/healthz\)/, cleanup, databaseCpuMs, database });
}

export function startBareTarget(name: string): Promise<Target> {
  return startTarget({ name, kind: "bare", entry: "bench/bare-bolt-echo.ts", env: {}, ready: /Slack requests on (http:\/\/\S+)\/slack\/events/, cleanup: async () => undefined, databaseCpuMs: async () => new Map() });
}

interface TargetSpec {
  name: string;
  kind: Target["kind"];
  entry: string;
  env: Record<string, string>;
  nodeArgs?: string[];
  /** Matches the app's "I am up" line; group 1 is its base URL. */
  ready: RegExp;
  cleanup: () => Promise<void>;
  databaseCpuMs: () => Promise<Map<number, number>>;
  database?: BenchDatabase;
}

async function startTarget(spec: TargetSpec): Promise<Target> {
  const slack = await startLocalSlack({ port: 0, signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN, retryDelaysMs: [] });
  const env = {
    ...inheritedEnv(),
    ...spec.env,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
  };
  const child = spawn(process.execPath, [...(spec.nodeArgs ?? []), "--import", "tsx", spec.entry], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const lines: string[] = [];
  let warnings = 0;
  const warningMessages = new Map<string, number>();
  let onLine: (line: string) => void = () => undefined;
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (line) => {
      lines.push(line);
      if (lines.length > 40) lines.shift();
      // pino levels: 40 warn, 50 error, 60 fatal.
      if (/"level":(4|5|6)0\b/.test(line)) {
        warnings++;
        const msg = /"msg":"((?:[^"\\]|\\.)*)"/.exec(line)?.[1] ?? line.slice(0, 120);
        warningMessages.set(msg, (warningMessages.get(msg) ?? 0) + 1);
      }
      onLine(line);
    });
  }
  const tail = () => [...lines];
  let stopped: Promise<{ exitCode: number | null }> | undefined;
  const stop = (afterExit?: () => Promise<void>) =>
    (stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGINT");
        const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      await slack.close();
      try {
        await afterExit?.();
      } finally {
        await spec.cleanup();
      }
      return { exitCode: child.exitCode };
    })());

  try {
    const baseUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${spec.name} did not start within ${STARTUP_TIMEOUT_MS / 1000} s`)), STARTUP_TIMEOUT_MS);
      onLine = (line) => {
        const m = spec.ready.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      };
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`${spec.name} exited (code ${code}) before it was up`));
      });
    });
    onLine = () => undefined;
    const eventsUrl = `${baseUrl}/slack/events`;
    slack.setDeliveryUrl(eventsUrl);
    const exitCode = () => child.exitCode ?? (child.signalCode ? -1 : null);
    return { name: spec.name, kind: spec.kind, slack, eventsUrl, warnings: () => warnings, warningMessages: () => new Map(warningMessages), cpuMs: () => processCpuMs(child.pid), databaseCpuMs: spec.databaseCpuMs, database: spec.database, exitCode, tail, stop };
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n  last output:\n    ${tail().join("\n    ")}`);
  }
}

/** The bench's environment minus anything that would configure the app behind the bench's back. */
function inheritedEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || /^(PIPER_|SLACK_|GITHUB_|NOTION_|ANTHROPIC_|BENCH_)|^(DATABASE_URL|LOG_LEVEL|LOG_FORMAT|PORT)$/.test(k)) continue;
    env[k] = v;
  }
  return env;
}

/** A PostgreSQL server the bench may create throwaway databases on, if one answers. */
export async function benchPostgresServer(): Promise<string | undefined> {
  const url = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  try {
    await adminQuery(url, "SELECT 1", 1_000);
    return url;
  } catch {
    return undefined;
  }
}

async function adminQuery(serverUrl: string, sql: string, timeoutMs = 3_000): Promise<Array<Record<string, unknown>>> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: timeoutMs });
  await client.connect();
  try {
    return (await client.query(sql)).rows as Array<Record<string, unknown>>;
  } finally {
    await client.end().catch(() => undefined);
  }
}
