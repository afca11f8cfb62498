// A second Piper on the same PGlite data folder exits 1 with one sentence naming the first; the first keeps serving and its data.
import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/index.js";
import { createLogger } from "../../src/logger.js";
import { seededDataFolder } from "../support/pglite-template.js";
import { spawnPiper, type SpawnedPiper } from "../support/piper-process.js";

describe("two Pipers on one data folder", () => {
  const dataDir = seededDataFolder("piper-two-");
  const started: SpawnedPiper[] = [];
  afterAll(async () => {
    for (const p of started) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
    await Promise.all(started.map((p) => p.exit));
    rmSync(dataDir, { recursive: true, force: true });
  });
  const env = { PIPER_DATA_DIR: dataDir, PIPER_PORT: "0", PIPER_LOCAL_SLACK_PORT: "0", PIPER_HOST: "127.0.0.1" };

  it("the second exits 1 with one sentence naming the first's PID; the first keeps serving and its data", async () => {
    const first = spawnPiper(env);
    started.push(first);
    const banner = await first.banner;
    expect(banner, first.stderr).toBeDefined();
    const [, slackUrl, healthUrl] = /talk to Piper at (\S+) \(health: (\S+)\)/.exec(banner!)!;

    // Something for the first Piper to remember: a mention it records and answers.
    const posted = await fetch(`${slackUrl}/_local/post`, { method: "POST", body: JSON.stringify({ channel: "C0GENERAL1", text: "@piper help" }) });
    expect(posted.status).toBe(200);
    // Answered (so certainly recorded): on a busy machine the first delivery can miss its ack deadline and be retried.
    const { ts } = (await posted.json()) as { ts: string };
    await expect
      .poll(async () => {
        const state = (await (await fetch(`${slackUrl}/_local/state`)).json()) as { messages: Record<string, Array<{ thread_ts?: string; bot_id?: string }>> };
        return state.messages.C0GENERAL1!.some((m) => m.thread_ts === ts && m.bot_id !== undefined);
      }, { timeout: 60_000, interval: 200 })
      .toBe(true);

    const second = spawnPiper(env);
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
      // The mention it acknowledged is on record (its durable job), so the folder's data survived.
      const { rows } = await db.sql.executeSql(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'slack-accepted'`);
      expect(rows[0]!.n).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  }, 180_000);
});
