// PGlite on a thread of its own (src/db/pglite-thread.ts is the other side). Plain JavaScript so the worker
// starts the same under `node --import tsx`, the built app and vitest, none of which need a TypeScript loader here.
//
// Messages in:  { id, op: "query", sql, values, rowMode, rawOids } | { id, op: "exec", sql } | { id, op: "close" }
// Messages out: { id, ok: true, result, inTransaction } | { id, ok: false, error, inTransaction }
import { parentPort, workerData } from "node:worker_threads";
import { PGlite, messages } from "@electric-sql/pglite";

const identity = (value) => value;

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

let db;
try {
  db = new PGlite(workerData.dataDir);
  await db.waitReady;
  parentPort.postMessage({ id: 0, ok: true, result: null, inTransaction: false });
} catch (err) {
  parentPort.postMessage({ id: 0, ok: false, error: describeError(err), inTransaction: false });
  process.exit(1);
}

// One at a time, in arrival order: the session is one connection, and order is what makes a
// transaction's statements run inside it (the other side sends nothing else while one is open).
let chain = Promise.resolve();
parentPort.on("message", (msg) => {
  chain = chain.then(() => handle(msg));
});

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
