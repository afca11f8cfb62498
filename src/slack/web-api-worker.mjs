// Slack's Web API client on a thread of its own (src/slack/web-api-thread.ts is the other side). Plain JavaScript
// so the worker starts the same under `node --import tsx`, the built app and vitest.
//
// Messages in:  { id, method, args }
// Messages out: { id, ok: true, result } | { id, ok: false, error } | { log: level, message }
import { parentPort, workerData } from "node:worker_threads";
import { WebClient, LogLevel } from "@slack/web-api";
import { createHttpFetch } from "./http-fetch.mjs";

/** The SDK's log lines go to Piper's logger on the other side (warnings and errors; debug stays here). */
const logger = {
  debug() {},
  info() {},
  warn: (...msgs) => parentPort.postMessage({ log: "warn", message: msgs.map(String).join(" ") }),
  error: (...msgs) => parentPort.postMessage({ log: "error", message: msgs.map(String).join(" ") }),
  setLevel() {},
  getLevel: () => LogLevel.WARN,
  setName() {},
};

// node:http with kept-alive connections instead of undici's fetch: the same requests for half the CPU.
const client = new WebClient(workerData.token, { ...workerData.options, logger, fetch: createHttpFetch() });

/** What Piper reads from the SDK's errors (src/integrations/slack-errors.ts, posting/outcome.ts), as plain data. */
function describeError(err) {
  const out = { message: err?.message ?? String(err), name: err?.name ?? "Error" };
  for (const field of ["code", "data", "statusCode", "statusMessage", "headers", "body", "retryAfter"]) {
    if (err?.[field] !== undefined) out[field] = err[field];
  }
  if (err?.original) out.original = { message: err.original.message, name: err.original.name, code: err.original.code };
  try {
    structuredClone(out);
    return out;
  } catch {
    // A field that can't cross threads (a stream in `body`): keep what can.
    return { message: out.message, name: out.name, code: out.code, statusCode: out.statusCode, retryAfter: out.retryAfter, original: out.original };
  }
}

parentPort.on("message", async ({ id, method, args }) => {
  try {
    const result = await client.apiCall(method, args);
    parentPort.postMessage({ id, ok: true, result });
  } catch (err) {
    parentPort.postMessage({ id, ok: false, error: describeError(err) });
  }
});
