// A PGlite data folder has one writer: a second open is refused with a sentence naming the holder; a dead holder's lock is taken over.
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/index.js";
import { DataFolderInUseError } from "../../src/errors.js";
import { createLogger } from "../../src/logger.js";
import { seededDataFolder } from "../support/pglite-template.js";

const ROOT = join(import.meta.dirname, "..", "..");
const logger = createLogger({ level: "silent" });

/** Another process with the folder open, as a second `npm start` or `npm run db:migrate` would have it. */
function holdFolder(dir: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "test/support/hold-data-folder.ts", dir], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    child.stdout!.on("data", (d: Buffer) => d.toString().includes("open") && resolve(child));
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`holder exited early (${code})`)));
  });
}

/** The sentence openDatabase refused with; a database that did open is closed and reported as such. */
async function refusal(dataDir: string): Promise<string> {
  try {
    const db = await openDatabase({ kind: "pglite", dataDir }, logger);
    await db.close();
    return "opened the folder";
  } catch (err) {
    return err instanceof DataFolderInUseError ? err.message : `failed otherwise: ${String(err)}`;
  }
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once("exit", () => r()));
}

describe("one writer per PGlite data folder", () => {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  const tempDir = () => {
    const dir = seededDataFolder("piper-lock-");
    dirs.push(dir);
    return dir;
  };
  afterEach(async () => {
    for (const child of children.splice(0)) {
      child.kill("SIGKILL");
      await exited(child);
    }
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a folder another live process has open, naming its PID; takes the folder over once that process is gone", async () => {
    const dir = tempDir();
    const holder = await holdFolder(dir);
    children.push(holder);

    expect(await refusal(dir)).toBe(
      `Another Piper (PID ${holder.pid}) is using the data folder ${dir} — stop it first, or set PIPER_DATA_DIR to another folder.`,
    );

    // Killed without a chance to clean up: its lock file stays behind, naming a PID that no longer runs.
    holder.kill("SIGKILL");
    await exited(holder);
    const db = await openDatabase({ kind: "pglite", dataDir: dir }, logger);
    try {
      expect(await db.prisma.processedEvent.count({ where: { eventId: "EvHELD" } })).toBe(1);
    } finally {
      await db.close();
    }
  }, 120_000);

  it("a closed database lets the next one open the folder", async () => {
    const dir = tempDir();
    const first = await openDatabase({ kind: "pglite", dataDir: dir }, logger);
    await first.close();
    const second = await openDatabase({ kind: "pglite", dataDir: dir }, logger);
    await second.close();
  }, 120_000);

  it("two opens in one process: the second is refused while the first is open", async () => {
    const dir = tempDir();
    const first = await openDatabase({ kind: "pglite", dataDir: dir }, logger);
    try {
      expect(await refusal(dir)).toContain(`Another Piper (PID ${process.pid})`);
    } finally {
      await first.close();
    }
  }, 120_000);

  it("a lock from another host is treated as held (its PID cannot be checked from here) and says so", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "piper.lock"), JSON.stringify({ pid: 4242, hostname: "some-other-host", startedAt: "2024-01-01T00:00:00.000Z" }));
    expect(await refusal(dir)).toBe(
      `Another Piper (PID 4242 on host some-other-host, which cannot be checked from here) is using the data folder ${dir} — stop it first (or delete ${join(dir, "piper.lock")} if it is gone), or set PIPER_DATA_DIR to another folder.`,
    );
  }, 120_000);
});
