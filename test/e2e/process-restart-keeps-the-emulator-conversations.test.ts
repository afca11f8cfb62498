// `npm start` in local mode, stopped and started again on the same data folder: the emulator page still shows the conversation.
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { seededDataFolder } from "../support/pglite-template.js";

const ROOT = join(import.meta.dirname, "..", "..");

interface Piper {
  child: ChildProcess;
  /** The emulator page's URL, once Piper printed its banner. */
  pageUrl: Promise<string>;
  exit: Promise<number | null>;
}

function startPiper(env: Record<string, string>): Piper {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const pageUrl = new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const url = /talk to Piper at (\S+)/.exec(out)?.[1];
      if (url) resolve(url);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    void exit.then((code) => reject(new Error(`Piper exited (${code}) before its banner:\n${out}`)));
  });
  return { child, pageUrl, exit };
}

interface PageState {
  messages: Record<string, Array<{ ts: string; thread_ts?: string; text: string; bot_id?: string }>>;
}

const state = async (pageUrl: string) => (await (await fetch(`${pageUrl}/_local/state`)).json()) as PageState;

/** Polls the page's state until `ready` holds: Piper answers on its own time. */
async function until(pageUrl: string, ready: (s: PageState) => boolean): Promise<PageState> {
  for (;;) {
    const s = await state(pageUrl);
    if (ready(s)) return s;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("restarting Piper in local mode", () => {
  const dataDir = seededDataFolder("piper-restart-page-");
  const started: Piper[] = [];
  afterAll(async () => {
    for (const p of started) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
    await Promise.all(started.map((p) => p.exit));
    rmSync(dataDir, { recursive: true, force: true });
  });
  const env = { PIPER_DATA_DIR: dataDir, PIPER_PORT: "0", PIPER_LOCAL_SLACK_PORT: "0", PIPER_HOST: "127.0.0.1" };

  it("keeps the question and Piper's threaded answer on the page", async () => {
    const first = startPiper(env);
    started.push(first);
    const firstUrl = await first.pageUrl;
    const posted = (await (await fetch(`${firstUrl}/_local/post`, { method: "POST", body: JSON.stringify({ channel: "C0GENERAL1", text: "@piper help" }) })).json()) as { ts: string };
    const answered = await until(firstUrl, (s) => (s.messages.C0GENERAL1 ?? []).some((m) => m.bot_id && m.thread_ts === posted.ts));
    first.child.kill("SIGINT");
    expect(await first.exit).toBe(0);

    const second = startPiper(env);
    started.push(second);
    const after = await state(await second.pageUrl);
    expect(after.messages.C0GENERAL1).toEqual(answered.messages.C0GENERAL1);
    second.child.kill("SIGINT");
    expect(await second.exit).toBe(0);
  }, 240_000);
});
