// One progress line for a whole run, edited in place as tasks finish: "Reading labels ✓ · Looking for duplicates… · Drafting…".
import type { ProgressSnapshot } from "./types.js";

/** `phrases` names the tasks worth showing; others are left out of the line. */
export function progressLine(snapshot: ProgressSnapshot, phrases: Record<string, string>): string {
  const parts: string[] = [];
  for (const task of snapshot.tasks) {
    const phrase = phrases[task.name];
    if (!phrase) continue;
    if (task.status === "succeeded") parts.push(`${phrase} ✓`);
    else if (task.status === "running") parts.push(`${task.label ?? phrase}…`);
    else if (task.status === "failed") parts.push(`${phrase} ✗`);
    else if (task.status === "pending") parts.push(`${phrase}…`);
  }
  return parts.join(" · ");
}
