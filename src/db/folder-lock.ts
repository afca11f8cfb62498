// One writer per PGlite data folder: an exclusive lock file naming the process that has the folder open.
import { randomUUID } from "node:crypto";
import { closeSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { DataFolderInUseError } from "../errors.js";

export const LOCK_FILE = "piper.lock";

interface Owner {
  pid: number;
  hostname: string;
  startedAt: string;
  /** Tells this lock apart from an earlier one by the same PID (a container restarted with the same PID). */
  id?: string;
}

export interface FolderLock {
  /** Idempotent; removes the lock file only while it is still this lock's. */
  release(): void;
}

/** Lock files this process holds right now, by path: a second open in the same process is refused too. */
const heldHere = new Set<string>();

/**
 * Takes the folder's lock or throws DataFolderInUseError naming the holder. `shownAs` is the folder as the
 * user configured it, for the message. A lock whose process is gone (same host, PID not running) is taken over.
 */
export async function lockDataFolder(dir: string, shownAs: string = dir): Promise<FolderLock> {
  const path = join(dir, LOCK_FILE);
  const me: Owner = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString(), id: randomUUID() };
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(path, me)) return holding(path, me);
    const owner = await readOwner(path);
    if (owner === "gone") continue;
    if (owner !== "unreadable") {
      if (owner.hostname !== me.hostname) throw inUse(owner, shownAs, false);
      if (isRunning(owner, path)) throw inUse(owner, shownAs, true);
    }
    takeOver(path, owner);
  }
  // Only reached when other processes keep winning the race for the same stale lock.
  const owner = await readOwner(path);
  throw inUse(typeof owner === "object" ? owner : { pid: 0, hostname: "?", startedAt: "" }, shownAs, true);
}

function tryCreate(path: string, me: Owner): boolean {
  let fd: number;
  try {
    // 'wx' fails if the file exists: creating it is the atomic test-and-set.
    fd = openSync(path, "wx");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  }
  try {
    writeSync(fd, JSON.stringify(me));
  } finally {
    closeSync(fd);
  }
  return true;
}

function holding(path: string, me: Owner): FolderLock {
  heldHere.add(path);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    heldHere.delete(path);
    process.removeListener("exit", release);
    try {
      const now = JSON.parse(readFileSync(path, "utf8")) as Owner;
      if (now.id === me.id) unlinkSync(path);
    } catch {
      // Already gone, or replaced by someone else's: nothing of ours to remove.
    }
  };
  // Best effort for a process that exits without closing the database; a crash leaves a stale lock, which is taken over.
  process.on("exit", release);
  return { release };
}

/** The lock's owner; "gone" if the file vanished meanwhile; "unreadable" if it stays empty or garbled (a crash mid-write). */
async function readOwner(path: string): Promise<Owner | "gone" | "unreadable"> {
  for (let attempt = 0; ; attempt++) {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return "gone";
      throw err;
    }
    try {
      const owner = JSON.parse(text) as Partial<Owner>;
      if (typeof owner.pid === "number" && typeof owner.hostname === "string") return owner as Owner;
    } catch {
      // fall through: maybe its creator is between creating and writing it
    }
    if (attempt === 3) return "unreadable";
    await sleep(100);
  }
}

function isRunning(owner: Owner, path: string): boolean {
  // Our own PID in a lock we do not hold is a previous life of this PID (a restarted container), not us.
  if (owner.pid === process.pid) return heldHere.has(path);
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user — still running.
    return (err as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/**
 * Removes a stale lock. Moved aside first, then checked: if another process replaced the stale lock with
 * its own fresh one between our read and our move, that fresh lock is put back rather than deleted.
 */
function takeOver(path: string, stale: Owner | "unreadable"): void {
  const aside = `${path}.${process.pid}.stale`;
  try {
    renameSync(path, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw err;
  }
  let moved: Partial<Owner> | undefined;
  try {
    moved = JSON.parse(readFileSync(aside, "utf8")) as Partial<Owner>;
  } catch {
    moved = undefined;
  }
  const same = stale === "unreadable" ? moved === undefined : moved?.pid === stale.pid && moved?.id === stale.id && moved?.startedAt === stale.startedAt;
  if (!same) {
    try {
      linkSync(aside, path);
    } catch {
      // A third process got in first; its lock stands.
    }
  }
  unlinkSync(aside);
}

function inUse(owner: Owner, shownAs: string, checkable: boolean): DataFolderInUseError {
  return new DataFolderInUseError(
    checkable
      ? `Another Piper (PID ${owner.pid}) is using the data folder ${shownAs} — stop it first, or set PIPER_DATA_DIR to another folder.`
      : `Another Piper (PID ${owner.pid} on host ${owner.hostname}, which cannot be checked from here) is using the data folder ${shownAs} — stop it first (or delete ${join(shownAs, LOCK_FILE)} if it is gone), or set PIPER_DATA_DIR to another folder.`,
  );
}
