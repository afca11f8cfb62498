// A real `kill -9` in the middle of a workflow's side effect, then recovery in another process: the
// GitHub issue exists exactly once, whether the killed attempt created it (found by its key) or not
// (created by attempt 2); a run that may not be resumed is failed "interrupted" and its thread told once.
//
// The child (fixtures/crash-child.ts) runs the workflow on the same database as this test: a PGlite
// folder (its lock file still naming the dead child, which the folder lock treats as stale), or a
// PostgreSQL database when PIPER_TEST_DATABASE_URL is set. This process then recovers with a clock past
// the child's lease. Every wait has a generous bound; none asserts how long anything took.
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/db/index.js";
import { WorkflowEngine } from "../../src/workflows/engine.js";
import { PrismaRunStore } from "../../src/workflows/run-store.js";
import type { WorkflowContext } from "../../src/workflows/types.js";
import { startGitHubFake, type GitHubFake } from "../fakes/github.js";
import { createTestDatabase, testServerUrl } from "../support/database.js";
import { integrationsAgainst } from "../support/integrations.js";
import { seededDataFolder } from "../support/pglite-template.js";
import { issueWorkflow, NOT_RESUMABLE, REPO, RESUMABLE } from "./fixtures/issue-workflow.js";
import { silent, taskRows, until } from "./helpers.js";

const ROOT = join(import.meta.dirname, "..", "..");
const CREATE = /^\/repos\/acme\/web\/issues$/;
const LEASE_MS = 60_000;
const BOUND_MS = 30_000;

/** Where the child and this test meet: env for the child, and how this test opens it after the kill. */
interface CrashDatabase {
  env: Record<string, string>;
  /** Opens the database (PGlite: only once the child is dead; PostgreSQL: the connection made up front). */
  open(): Promise<Database>;
  dispose(): Promise<void>;
}

async function crashDatabase(): Promise<CrashDatabase> {
  if (testServerUrl()) {
    const db = await createTestDatabase();
    return { env: { PIPER_CRASH_DATABASE_URL: db.url! }, open: async () => db, dispose: () => db.dispose() };
  }
  const dir = seededDataFolder("piper-crash-");
  let db: Database | undefined;
  return {
    env: { PIPER_CRASH_DATA_DIR: dir },
    async open() {
      db = await openDatabase({ kind: "pglite", dataDir: dir }, silent);
      return db;
    },
    async dispose() {
      await db?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface Child {
  process: ChildProcess;
  /** The run id the child printed once its run was under way. */
  started: Promise<string>;
  output(): string;
  exited: Promise<void>;
}

function spawnChild(env: Record<string, string>): Child {
  const child = spawn(process.execPath, ["--import", "tsx", "test/workflows/fixtures/crash-child.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const started = new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const id = /^started (\S+)$/m.exec(out)?.[1];
      if (id) resolve(id);
    });
    child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
    void exited.then(() => reject(new Error(`crash child exited before starting its run:\n${out}`)));
  });
  started.catch(() => undefined);
  return { process: child, started, output: () => out, exited };
}

/** Resolves with the promise's value, or fails after BOUND_MS naming what it waited for. */
function bounded<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${BOUND_MS} ms waiting for ${what}`)), BOUND_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function kill(child: Child): Promise<void> {
  if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill("SIGKILL");
  await bounded(child.exited, "the child to exit");
}

describe("a workflow killed with SIGKILL mid side effect", () => {
  let fake: GitHubFake | undefined;
  let database: CrashDatabase | undefined;
  let child: Child | undefined;
  let engine: WorkflowEngine | undefined;
  afterEach(async () => {
    engine?.close();
    if (child) await kill(child).catch(() => undefined);
    await fake?.close();
    await database?.dispose();
    engine = child = fake = database = undefined;
  });

  const issuesTitled = (title: string) => fake!.repos.find((r) => `${r.owner}/${r.name}` === REPO)!.issues.filter((i) => i.title === title);

  /** Starts the child on `type` and waits for its run to begin; returns the run id. */
  async function startChild(type: string, title: string): Promise<string> {
    fake ??= await startGitHubFake();
    database ??= await crashDatabase();
    child = spawnChild({
      ...database.env,
      PIPER_CRASH_GITHUB_URL: fake.url,
      PIPER_CRASH_GITHUB_TOKEN: fake.token,
      PIPER_CRASH_LEASE_MS: String(LEASE_MS),
      PIPER_CRASH_WORKFLOW: type,
      PIPER_CRASH_TITLE: title,
    });
    return bounded(child.started, "the child to start its run");
  }

  /** This process's engine on the same database, its clock past the dead child's lease. */
  async function recoveringEngine(interrupted: Array<{ runId: string; type: string; context: WorkflowContext }> = []) {
    const db = await database!.open();
    const { integrations } = await integrationsAgainst({ github: fake! });
    engine = new WorkflowEngine({
      store: new PrismaRunStore(db),
      instanceId: "recovering-parent",
      now: () => Date.now() + LEASE_MS + 1_000,
      logger: silent,
      onRunInterrupted: (run) => void interrupted.push(run),
    });
    engine.register(issueWorkflow(integrations.github, RESUMABLE), { resumable: true });
    engine.register(issueWorkflow(integrations.github, NOT_RESUMABLE), { resumable: false });
    return { db, engine };
  }

  async function expectNothingLeftRunning(db: Database): Promise<void> {
    expect(await db.prisma.workflowRun.count({ where: { status: { in: ["running", "pending"] } } })).toBe(0);
    expect(await db.prisma.taskRun.count({ where: { status: { in: ["running", "pending"] } } })).toBe(0);
  }

  it("killed after GitHub created the issue but before its answer arrived: recovery finds that issue by its key and creates none", async () => {
    const title = "Nightly export failed (kill after create)";
    fake = await startGitHubFake();
    const answer = fake.holdAnswerNext("POST", CREATE);
    const runId = await startChild(RESUMABLE, title);
    await bounded(answer.handled, "GitHub to create the issue");
    await until(() => issuesTitled(title).length === 1, BOUND_MS, "the issue to exist in the fake");
    await kill(child!);
    answer.release(); // the answer goes nowhere: its client is dead

    const { db, engine } = await recoveringEngine();
    // As the child left it: the draft recorded (written before the side effect's start), the filing started.
    const left = await taskRows(db, runId);
    expect(left.get("draft")).toMatchObject({ status: "succeeded", attempt: 1 });
    expect(left.get("file")).toMatchObject({ status: "running", attempt: 1 });
    expect(await db.prisma.workflowRun.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ status: "running", owner: expect.stringMatching(/^crash-child:/) });

    expect(await engine.recoverExpired()).toBe(1);

    await expectNothingLeftRunning(db);
    expect(await db.prisma.workflowRun.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ status: "succeeded", owner: "recovering-parent" });
    const issues = issuesTitled(title);
    expect(issues).toHaveLength(1);
    expect(fake.count("POST", CREATE)).toBe(1);
    const rows = await taskRows(db, runId);
    expect(rows.get("draft")).toMatchObject({ status: "succeeded", attempt: 1 });
    expect(rows.get("file")).toMatchObject({ status: "succeeded", attempt: 2, output: { number: issues[0]!.number } });
  }, 120_000);

  it("killed while the create was still on its way, before GitHub acted: recovery's attempt 2 creates the issue, once", async () => {
    const title = "Nightly export failed (kill before create)";
    fake = await startGitHubFake();
    const parked = fake.holdNext("POST", CREATE);
    const runId = await startChild(RESUMABLE, title);
    await bounded(parked.arrived, "the create to reach GitHub");
    await kill(child!);
    await bounded(parked.abandoned, "GitHub to see its client gone");
    parked.release();
    expect(await bounded(parked.outcome, "the parked create to be dropped")).toBe("dropped");
    expect(issuesTitled(title)).toHaveLength(0);

    const { db, engine } = await recoveringEngine();
    expect((await taskRows(db, runId)).get("file")).toMatchObject({ status: "running", attempt: 1 });

    expect(await engine.recoverExpired()).toBe(1);

    await expectNothingLeftRunning(db);
    expect(await db.prisma.workflowRun.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ status: "succeeded" });
    const issues = issuesTitled(title);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.body).toContain(`<!-- piper:key=${encodeURIComponent(`${runId}:file`)} -->`);
    expect(fake.count("POST", CREATE)).toBe(2); // the dropped one and attempt 2's
    expect((await taskRows(db, runId)).get("file")).toMatchObject({ status: "succeeded", attempt: 2, output: { number: issues[0]!.number } });
  }, 120_000);

  it("a type that may not be resumed is failed as interrupted, never repeated, and its thread told once", async () => {
    const title = "Nightly export failed (not resumable)";
    fake = await startGitHubFake();
    const answer = fake.holdAnswerNext("POST", CREATE);
    const runId = await startChild(NOT_RESUMABLE, title);
    await bounded(answer.handled, "GitHub to create the issue");
    await kill(child!);
    answer.release();

    const interrupted: Array<{ runId: string; type: string; context: WorkflowContext }> = [];
    const { db, engine } = await recoveringEngine(interrupted);
    expect(await engine.recoverExpired()).toBe(1);
    expect(await engine.recoverExpired()).toBe(0);

    await expectNothingLeftRunning(db);
    expect(await db.prisma.workflowRun.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ status: "failed", error: "interrupted" });
    const rows = await taskRows(db, runId);
    expect(rows.get("draft")).toMatchObject({ status: "succeeded", attempt: 1 });
    expect(rows.get("file")).toMatchObject({ status: "failed", error: "interrupted", attempt: 1 });
    expect(interrupted).toEqual([{ runId, type: NOT_RESUMABLE, context: { teamId: "T-CRASH", channelId: "C-CRASH", threadTs: "1700000000.000100" } }]);
    expect(issuesTitled(title)).toHaveLength(1); // the killed attempt's, not repeated
    expect(fake.count("POST", CREATE)).toBe(1);
  }, 120_000);
});
