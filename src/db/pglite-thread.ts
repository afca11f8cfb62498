// PGlite in a worker thread: the database's CPU (WebAssembly Postgres, its file writes) leaves the thread that answers Slack.
import { Worker } from "node:worker_threads";
import { messages, type PGlite, type Results, type Transaction } from "@electric-sql/pglite";

type ParserMap = Record<number, (value: string, typeId: number) => unknown>;
interface QueryOptions {
  rowMode?: "array" | "object";
  parsers?: ParserMap;
  /** Runs before statements already waiting (never inside someone's transaction: those wait for it to end). */
  urgent?: boolean;
}

interface WorkerError {
  message: string;
  databaseError: boolean;
  [field: string]: unknown;
}
type Reply = { id: number; ok: true; result: unknown; inTransaction: boolean } | { id: number; ok: false; error: WorkerError; inTransaction: boolean };

/** The worker thread stopped (it crashed, or was closed): nothing more can reach the database. */
export class DatabaseThreadGone extends Error {
  constructor(reason: string) {
    super(`the database thread is not running (${reason})`);
    this.name = "DatabaseThreadGone";
  }
}

/**
 * The part of PGlite's API Piper uses (Prisma's PGlite adapter, the raw-SQL executor, ping, close),
 * answered by a PGlite in a worker thread. Like PGlite: one session; statements run in the order they
 * were sent; while a transaction is open, statements from outside it wait for it to end.
 */
export class PGliteThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: unknown) => void }>();
  #nextId = 1;
  #inTransaction = false;
  #gone: DatabaseThreadGone | undefined;
  /** Ends when every transaction begun or waiting so far has ended; outside statements wait on it. */
  #transactions: Promise<void> | undefined;
  readonly waitReady: Promise<void>;

  constructor(dataDir: string) {
    this.#worker = new Worker(new URL("./pglite-worker.mjs", import.meta.url), { workerData: { dataDir } });
    this.waitReady = new Promise((resolve, reject) => this.#pending.set(0, { resolve: () => resolve(), reject }));
    this.#worker.on("message", (reply: Reply) => this.#settle(reply));
    this.#worker.on("error", (err) => this.#fail(`it failed: ${err.message}`));
    this.#worker.on("exit", (code) => this.#fail(`it exited with code ${code}`));
  }

  isInTransaction(): boolean {
    return this.#inTransaction;
  }

  // The wait for open transactions is checked and the statement sent in the same turn of the event loop:
  // an `await` between the two would let a BEGIN go first and put this statement inside someone's transaction.
  async query<T>(sql: string, values?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    while (this.#transactions) await this.#transactions;
    return this.#query<T>(sql, values, options);
  }

  async exec(sql: string, options?: Pick<QueryOptions, "rowMode" | "urgent">): Promise<Array<Results>> {
    while (this.#transactions) await this.#transactions;
    return this.#send({ op: "exec", sql, urgent: options?.urgent === true }) as Promise<Array<Results>>;
  }

  /**
   * BEGIN, `fn` with a transaction whose statements go straight through, then COMMIT — or ROLLBACK
   * when `fn` throws or rolled back itself. Transactions run one after another.
   */
  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    const before = this.#transactions ?? Promise.resolve();
    let end!: () => void;
    const mine = before.then(() => new Promise<void>((resolve) => (end = resolve)));
    this.#transactions = mine;
    await before;
    let closed = false;
    const tx = {
      query: <R>(sql: string, values?: unknown[], options?: QueryOptions) => this.#query<R>(sql, values, options),
      exec: (sql: string) => this.#send({ op: "exec", sql }) as Promise<Array<Results>>,
      rollback: async () => {
        if (closed) return;
        closed = true;
        await this.#send({ op: "exec", sql: "ROLLBACK" });
      },
      get closed() {
        return closed;
      },
    } as unknown as Transaction;
    try {
      await this.#send({ op: "exec", sql: "BEGIN" });
      try {
        const result = await fn(tx);
        if (!closed) {
          closed = true;
          await this.#send({ op: "exec", sql: "COMMIT" });
        }
        return result;
      } catch (err) {
        if (!closed) {
          closed = true;
          await this.#send({ op: "exec", sql: "ROLLBACK" }).catch(() => undefined);
        }
        throw err;
      }
    } finally {
      end();
      if (this.#transactions === mine) this.#transactions = undefined;
    }
  }

  async close(): Promise<void> {
    if (this.#gone) return;
    while (this.#transactions) await this.#transactions;
    await this.#send({ op: "close" }).catch(() => undefined);
    await this.#worker.terminate();
  }

  /** A PGlite-typed view for code written against PGlite (Prisma's adapter); only the methods above exist. */
  asPGlite(): PGlite {
    return this as unknown as PGlite;
  }

  async #query<T>(sql: string, values: unknown[] | undefined, options: QueryOptions | undefined): Promise<Results<T>> {
    const parsers = options?.parsers;
    const rawOids = parsers ? Object.keys(parsers).map(Number) : [];
    const result = (await this.#send({ op: "query", sql, values: values ?? [], rowMode: options?.rowMode, rawOids, urgent: options?.urgent === true })) as Results<T>;
    if (parsers && rawOids.length > 0) applyParsers(result, parsers, options?.rowMode ?? "object");
    return result;
  }

  #send(message: Record<string, unknown>): Promise<unknown> {
    if (this.#gone) return Promise.reject(this.#gone);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, ...message });
    });
  }

  #settle(reply: Reply): void {
    const waiting = this.#pending.get(reply.id);
    if (!waiting) return;
    this.#pending.delete(reply.id);
    this.#inTransaction = reply.inTransaction;
    if (reply.ok) waiting.resolve(reply.result);
    else waiting.reject(rebuildError(reply.error));
  }

  #fail(reason: string): void {
    if (this.#gone) return;
    this.#gone = new DatabaseThreadGone(reason);
    for (const waiting of this.#pending.values()) waiting.reject(this.#gone);
    this.#pending.clear();
  }
}

/** The caller's parsers, run here on the text the worker left unparsed for their types. */
function applyParsers(result: Results<unknown>, parsers: ParserMap, rowMode: "array" | "object"): void {
  result.fields.forEach((field, index) => {
    const parse = parsers[field.dataTypeID];
    if (!parse) return;
    for (const row of result.rows as Array<Record<string | number, unknown>>) {
      const key = rowMode === "array" ? index : field.name;
      const value = row[key];
      if (typeof value === "string") row[key] = parse(value, field.dataTypeID);
    }
  });
}

/** A database error comes back as PGlite's own DatabaseError, so callers (Prisma's adapter) classify it as before. */
function rebuildError(error: WorkerError): Error {
  const { message, databaseError, ...fields } = error;
  const rebuilt = databaseError ? new messages.DatabaseError(message, Number(fields.length ?? 0), "error") : new Error(message);
  return Object.assign(rebuilt, fields);
}
