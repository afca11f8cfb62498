// Stable job ids: a name-based UUID (v5), so the same Slack event always maps to the same pg-boss job.
import { createHash } from "node:crypto";

/** Piper's own UUID namespace (random, fixed forever: changing it would let old events in twice). */
const PIPER_NAMESPACE = "7c1f9b0e-4a55-4f0c-9a8e-3d2b6c5e1a90";

/** RFC 9562 UUIDv5 of `name` in Piper's namespace. pg-boss rejects a second job with the same id. */
export function jobIdFor(name: string): string {
  const namespace = Buffer.from(PIPER_NAMESPACE.replaceAll("-", ""), "hex");
  const hash = createHash("sha1").update(namespace).update(name, "utf8").digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
