import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");


interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Starts `src/main.ts` the way `npm start` does (`node --import tsx`, one process, so a signal reaches
 * Piper itself); `until` decides when to send SIGINT (if ever).
 */
function runPiper(env: Record<string, string>, until?: (stdout: string) => boolean): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "warn", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let signalled = false;
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      if (!signalled && until?.(stdout)) {
        signalled = true;
        child.kill("SIGINT");
      }
    });
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

const banner = (out: string) => out.includes("Piper is up");

describe("the Piper process", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "piper-lifecycle-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = { PIPER_DATA_DIR: dataDir, PIPER_PORT: "0", PIPER_LOCAL_SLACK_PORT: "0", PIPER_HOST: "127.0.0.1" };

  it("starts on PGlite in local mode, prints one banner line, and exits 0 on Ctrl-C", async () => {
    const run = await runPiper(env, banner);
    expect(run.code, `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`).toBe(0);
    const line = run.stdout.split("\n").find(banner)!;
    expect(line).toMatch(/mode: local, database: PGlite at .+ — talk to Piper at http:\/\/127\.0\.0\.1:\d+ \(health: http:\/\/127\.0\.0\.1:\d+\/healthz\)/);
  }, 60_000);

  it("starts a second time on the same data folder (migrations already applied)", async () => {
    const run = await runPiper(env, banner);
    expect(run.code, `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain("Piper is up");
  }, 60_000);

  it("fails fast with one sentence when PostgreSQL is unreachable", async () => {
    const run = await runPiper({ ...env, DATABASE_URL: "postgres://nobody@127.0.0.1:1/x" });
    expect(run.code).not.toBe(0);
    const lines = run.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Piper cannot start: .*127\.0\.0\.1:1/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it("names a malformed variable, without a stack trace", async () => {
    const run = await runPiper({ ...env, PIPER_PORT: "abc" });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe("Piper cannot start: PIPER_PORT: expected a port number (1-65535)");
  }, 60_000);
});

describe("the Piper process against a Slack that refuses its token", () => {
  it("fails with one sentence naming SLACK_BOT_TOKEN", async () => {
    const { startLocalSlack } = await import("../../src/local/index.js");
    const slack = await startLocalSlack({ port: 0, signingSecret: "s", botToken: "xoxb-the-right-one" });
    try {
      const run = await runPiper({
        PIPER_DATA_DIR: ":memory:",
        PIPER_PORT: "0",
        PIPER_HOST: "127.0.0.1",
        SLACK_BOT_TOKEN: "xoxb-a-wrong-one",
        SLACK_SIGNING_SECRET: "s",
        SLACK_API_URL: slack.apiUrl,
      });
      expect(run.code).toBe(1);
      expect(run.stderr.trim()).toBe("Piper cannot start: Slack refused the bot token (invalid_auth) — check SLACK_BOT_TOKEN");
    } finally {
      await slack.close();
    }
  }, 60_000);
});
