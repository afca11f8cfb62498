// Keeps the emulator's workspace in a JSON file across restarts: loaded at start, saved shortly after changes, atomically.
import { existsSync, readFileSync, renameSync } from "node:fs";
import { rename, writeFile } from "node:fs/promises";
import type { Logger } from "pino";
import type { WorkspaceSnapshot, WorkspaceStore } from "./store.js";

/** Changes arrive in bursts (a reply, its edits, a Home tab); one write per burst is plenty. */
const SAVE_AFTER_MS = 250;

/** Restores the workspace saved at `path`, if any. A file that cannot be read is set aside, not lost. */
export function loadWorkspace(store: WorkspaceStore, path: string, logger?: Logger): void {
  if (!existsSync(path)) return;
  try {
    const snapshot = JSON.parse(readFileSync(path, "utf8")) as WorkspaceSnapshot;
    if (snapshot.version !== 1) throw new Error(`unknown version ${String(snapshot.version)}`);
    store.restore(snapshot);
  } catch (err) {
    renameSync(path, `${path}.damaged`);
    logger?.warn({ err, path, movedTo: `${path}.damaged` }, "local Slack workspace file could not be read; starting with an empty workspace");
  }
}

export interface WorkspaceSaver {
  /** Writes any pending change and stops watching the store. */
  close(): Promise<void>;
}

/** Saves the workspace to `path` after each burst of changes: written to a temp file, then renamed over the old one. */
export function saveWorkspaceOnChange(store: WorkspaceStore, path: string, logger?: Logger): WorkspaceSaver {
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  const save = () => {
    timer = undefined;
    // Chained, so two saves never write the temp file at once and the last state always lands last.
    writing = writing.then(async () => {
      const temp = `${path}.${process.pid}.tmp`;
      await writeFile(temp, JSON.stringify(store.snapshot()));
      await rename(temp, path);
    }).catch((err: unknown) => logger?.warn({ err, path }, "saving the local Slack workspace failed"));
  };
  const off = store.onChange(() => {
    timer ??= setTimeout(save, SAVE_AFTER_MS).unref();
  });
  return {
    async close() {
      off();
      if (timer) {
        clearTimeout(timer);
        save();
      }
      await writing;
    },
  };
}
