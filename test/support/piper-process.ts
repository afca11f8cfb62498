// Piper as users run it — `node --import tsx src/main.ts`, its own process: spawned with a given environment, or in HTTP mode against an emulator the test owns.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import type { LocalSlack } from "../../src/local/index.js";
import { HTTP_BOT_TOKEN, HTTP_SIGNING_SECRET } from "./piper.js";

const ROOT = join(import.meta.dirname, "..", "..");

/** One `src/main.ts` process and what it has said so far. */
export interface SpawnedPiper {
  child: ChildProcess;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr together, for failure messages. */
  output(): string;
  /** The banner line ("Piper is up …"), or undefined if the process exits first. */
  banner: Promise<string | undefined>;
  /** The exit code, or the name of the signal that ended it. */
  exit: Promise<number | string>;
}

/** Starts `node --import tsx src/main.ts` as `npm start` does, with only PATH, HOME and `env`. */
export function spawnPiper(env: Record<string, string>): SpawnedPiper {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let all = "";
  const exit = new Promise<number | string>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown")));
  const banner = new Promise<string | undefined>((resolve) => {
    child.stdout!.on("data", (d: Buffer) => {
      stdout += d.toString();
      all += d.toString();
      const line = stdout.split("\n").find((l) => l.includes("Piper is up"));
      if (line) resolve(line);
    });
    void exit.then(() => resolve(undefined));
  });
  child.stderr!.on("data", (d: Buffer) => {
    stderr += d.toString();
    all += d.toString();
  });
  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    output: () => all,
    banner,
    exit,
  };
}

/** A port that was free a moment ago, so a restarted Piper can come back on the same one (Slack keeps one URL). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Piper in HTTP mode against `slack`; resolves once it printed its banner (it is then accepting Slack requests). */
export async function startPiperProcess(slack: LocalSlack, env: Record<string, string>, startupTimeoutMs = 120_000): Promise<SpawnedPiper> {
  const piper = spawnPiper({ SLACK_BOT_TOKEN: HTTP_BOT_TOKEN, SLACK_SIGNING_SECRET: HTTP_SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, PIPER_HOST: "127.0.0.1", ...env });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), startupTimeoutMs)));
  const banner = await Promise.race([piper.banner, timedOut]);
  clearTimeout(timer);
  if (banner === "timeout") {
    piper.child.kill("SIGKILL");
    throw new Error(`Piper did not start within ${startupTimeoutMs} ms:\n${piper.output()}`);
  }
  if (banner === undefined) throw new Error(`Piper exited (${await piper.exit}) before it was up:\n${piper.output()}`);
  return piper;
}
