// A second Piper on the same PGlite data folder exits 1 with one sentence naming the first; the first keeps serving and its data.
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/index.js";
import { createLogger } from "../../src/logger.js";
import { seededDataFolder } from "../support/pglite-template.js";

const ROOT = join(import.meta.dirname, "..", "..");

interface Piper {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  /** Resolves with the banner line, or with undefined if the process exits first. */
  banner: Promise<string | undefined>;
  exit: Promise<number | null>;
}

function startPiper(env: Record<string, string>): Piper {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const run: Piper = { child, stdout: "", stderr: "", banner: Promise.resolve(undefined), exit: Promise.resolve(null) };
  run.exit = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  run.banner = new Promise((resolve) => {
    child.stdout!.on("data", (d: Buffer) => {
      run.stdout += d.toString();
      const line = run.stdout.split("\n").find((l) => l.includes("Piper is up"));
      if (line) resolve(line);
    });
    void run.exit.then(() => resolve(undefined));
  });
  child.stderr!.on("data", (d: Buffer) => (run.stderr += d.toString()));
  return run;
}

describe("two Pipers on one data folder", () => {
  const dataDir = seededDataFolder("piper-two-");
  const started: Piper[] = [];
  afterAll(async () => {
    for (const p of started) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
    await Promise.all(started.map((p) => p.exit));
    rmSync(dataDir, { recursive: true, force: true });
  });
  const env = { PIPER_DATA_DIR: dataDir, PIPER_PORT: "0", PIPER_LOCAL_SLACK_PORT: "0", PIPER_HOST: "127.0.0.1" };

  it("the second exits 1 with one sentence naming the first's PID; the first keeps serving and its data", async () => {
    const first = startPiper(env);
    started.push(first);
    const banner = await first.banner;
    expect(banner, first.stderr).toBeDefined();
    const [, slackUrl, healthUrl] = /talk to Piper at (\S+) \(health: (\S+)\)/.exec(banner!)!;

    // Something for the first Piper to remember: a mention it claims and answers.
    const posted = await fetch(`${slackUrl}/_local/post`, { method: "POST", body: JSON.stringify({ channel: "C0GENERAL1", text: "@piper help" }) });
    expect(posted.status).toBe(200);

    const second = startPiper(env);
    started.push(second);
    // Before the lock existed the second one came up too; stop it so this test fails instead of hanging.
    void second.banner.then((line) => line && second.child.kill("SIGINT"));
    expect(await second.exit, `stdout:\n${second.stdout}\nstderr:\n${second.stderr}`).toBe(1);
    expect(second.stderr.trim()).toBe(
      `Piper cannot start: Another Piper (PID ${first.child.pid}) is using the data folder ${dataDir} — stop it first, or set PIPER_DATA_DIR to another folder.`,
    );

    expect((await fetch(healthUrl!)).status).toBe(200);
    first.child.kill("SIGINT");
    expect(await first.exit, first.stderr).toBe(0);

    const db = await openDatabase({ kind: "pglite", dataDir }, createLogger({ level: "silent" }), { migrate: false });
    try {
      expect(await db.prisma.processedEvent.count()).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  }, 180_000);
});
