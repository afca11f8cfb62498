// Piper as users run it — `node --import tsx src/main.ts`, its own process — in HTTP mode against an emulator the test owns.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import type { LocalSlack } from "../../src/local/index.js";
import { HTTP_BOT_TOKEN, HTTP_SIGNING_SECRET } from "./piper.js";

const ROOT = join(import.meta.dirname, "..", "..");

export interface PiperProcess {
  child: ChildProcess;
  /** Everything the process wrote, for failure messages. */
  output(): string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
}

/** A port that was free a moment ago, so a restarted Piper can come back on the same one (Slack keeps one URL). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts Piper and resolves once it printed its banner (it is then accepting Slack requests). */
export async function startPiperProcess(slack: LocalSlack, env: Record<string, string>, startupTimeoutMs = 120_000): Promise<PiperProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      LOG_LEVEL: "warn",
      PIPER_HOST: "127.0.0.1",
      SLACK_BOT_TOKEN: HTTP_BOT_TOKEN,
      SLACK_SIGNING_SECRET: HTTP_SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const exited = new Promise<number | string>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown")));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Piper did not start within ${startupTimeoutMs} ms:\n${out}`)), startupTimeoutMs);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes("Piper is up")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`Piper exited (${code}) before it was up:\n${out}`));
    });
  });
  return { child, output: () => out, exited };
}
