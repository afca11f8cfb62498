// `npm start` in local mode, stopped and started again on the same data folder: the emulator page still shows the conversation.
import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { seededDataFolder } from "../support/pglite-template.js";
import { spawnPiper, type SpawnedPiper } from "../support/piper-process.js";

/** The emulator page's URL from Piper's banner ("talk to Piper at …"). */
async function pageUrlOf(piper: SpawnedPiper): Promise<string> {
  const banner = await piper.banner;
  const url = banner && /talk to Piper at (\S+)/.exec(banner)?.[1];
  if (!url) throw new Error(`Piper exited (${await piper.exit}) before its banner:\n${piper.output()}`);
  return url;
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
  const started: SpawnedPiper[] = [];
  afterAll(async () => {
    for (const p of started) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
    await Promise.all(started.map((p) => p.exit));
    rmSync(dataDir, { recursive: true, force: true });
  });
  const env = { PIPER_DATA_DIR: dataDir, PIPER_PORT: "0", PIPER_LOCAL_SLACK_PORT: "0", PIPER_HOST: "127.0.0.1" };

  it("keeps the question and Piper's threaded answer on the page", async () => {
    const first = spawnPiper(env);
    started.push(first);
    const firstUrl = await pageUrlOf(first);
    const posted = (await (await fetch(`${firstUrl}/_local/post`, { method: "POST", body: JSON.stringify({ channel: "C0GENERAL1", text: "@piper help" }) })).json()) as { ts: string };
    // The answer, not the progress placeholder a busy machine may show first (the answer replaces it).
    const answered = await until(firstUrl, (s) => (s.messages.C0GENERAL1 ?? []).some((m) => m.bot_id && m.thread_ts === posted.ts && !m.text.includes("Working on it")));
    first.child.kill("SIGINT");
    expect(await first.exit).toBe(0);

    const second = spawnPiper(env);
    started.push(second);
    const after = await state(await pageUrlOf(second));
    expect(after.messages.C0GENERAL1).toEqual(answered.messages.C0GENERAL1);
    second.child.kill("SIGINT");
    expect(await second.exit).toBe(0);
  }, 240_000);
});
