// PGlite on a thread of its own (src/db/pglite-thread.ts is the other side). Plain JavaScript so the worker
// starts the same under `node --import tsx`, the built app and vitest, none of which need a TypeScript loader here.
//
// Messages in:  { id, op: "query", sql, values, rowMode, rawOids, urgent? } | { id, op: "exec", sql, urgent? } | { id, op: "close" }
// Messages out: { id, ok: true, result, inTransaction } | { id, ok: false, error, inTransaction }
import { setPriority } from "node:os";
import { parentPort, receiveMessageOnPort, workerData } from "node:worker_threads";
import { PGlite, messages } from "@electric-sql/pglite";

const identity = (value) => value;
const DATABASE_THREAD_NICENESS = 5;

/** What a DatabaseError carries (pg-protocol's fields), so the other side can rebuild it. */
const ERROR_FIELDS = [
  "name", "length", "severity", "code", "detail", "hint", "position", "internalPosition", "internalQuery",
  "where", "schema", "table", "column", "dataType", "constraint", "file", "line", "routine",
];

function describeError(err) {
  const out = { message: err?.message ?? String(err), databaseError: err instanceof messages.DatabaseError };
  for (const field of ERROR_FIELDS) if (err?.[field] !== undefined) out[field] = err[field];
  return out;
}

// This thread yields the CPU to Piper's main thread (nice 5, this thread only: Linux applies it per
// thread). On a busy machine the main thread's replies and acks come first; the database's writes are
// batched and wait well. Nice 10 gave replies no more and slowed acks (which wait for a record) at 280/s.
try {
  setPriority(0, DATABASE_THREAD_NICENESS);
} catch {
  // Not permitted or not supported here: the thread keeps its priority.
}

let db;
try {
  db = new PGlite(workerData.dataDir);
  await db.waitReady;
  parentPort.postMessage({ id: 0, ok: true, result: null, inTransaction: false });
} catch (err) {
  parentPort.postMessage({ id: 0, ok: false, error: describeError(err), inTransaction: false });
  process.exit(1);
}

// One at a time: the session is one connection. Urgent statements (a request's record, which Slack's ack
// waits for) go before those already waiting; each kind keeps its arrival order. Moving one ahead of
// statements whose results nobody has seen yet cannot break what a caller observed, and it never lands
// inside a transaction: the other side sends nothing from outside one while it is open.
const urgent = [];
const normal = [];
let draining = false;
const enqueue = (msg) => (msg.urgent ? urgent : normal).push(msg);
parentPort.on("message", (msg) => {
  enqueue(msg);
  if (!draining) void drain();
});

/** A statement runs without yielding to this thread's event loop, so what arrived meanwhile is collected here. */
function collect() {
  for (let next = receiveMessageOnPort(parentPort); next; next = receiveMessageOnPort(parentPort)) enqueue(next.message);
}

async function drain() {
  draining = true;
  collect();
  while (urgent.length > 0 || normal.length > 0) {
    await handle(urgent.shift() ?? normal.shift());
    collect();
  }
  draining = false;
}

async function handle(msg) {
  try {
    let result;
    if (msg.op === "query") {
      // Parsers are functions and cannot cross threads: the types the caller parses itself arrive as text.
      const parsers = {};
      for (const oid of msg.rawOids ?? []) parsers[oid] = identity;
      result = await db.query(msg.sql, msg.values ?? [], { rowMode: msg.rowMode, parsers });
    } else if (msg.op === "exec") {
      result = await db.exec(msg.sql);
    } else if (msg.op === "close") {
      await db.close();
      parentPort.postMessage({ id: msg.id, ok: true, result: null, inTransaction: false });
      parentPort.close();
      return;
    } else {
      throw new Error(`unknown operation ${msg.op}`);
    }
    parentPort.postMessage({ id: msg.id, ok: true, result, inTransaction: db.isInTransaction() });
  } catch (err) {
    parentPort.postMessage({ id: msg.id, ok: false, error: describeError(err), inTransaction: db.isInTransaction() });
  }
}
