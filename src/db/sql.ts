// Raw SQL beside Prisma, on the same database: what pg-boss and a few batched statements run through.
import type { PGlite, QueryOptions } from "@electric-sql/pglite";
import type pg from "pg";
import { typedLiteral } from "./sql-literals.js";

export interface SqlResult {
  rows: Array<Record<string, unknown>>;
}

export interface SqlOptions {
  /**
   * Run as a named prepared statement: parsed and planned once per session, then only executed. For the
   * few statements Piper sends many times a second (the request record, the room read): on PGlite a
   * statement's parse and plan are most of its cost. `types` are the parameters' SQL types, in order.
   */
  prepared?: { name: string; types: readonly string[] };
  /**
   * Something waits for this one now (Slack's ack waits for a request's record): on PGlite's one session it
   * runs before statements already queued. Elsewhere, no effect.
   */
  urgent?: boolean;
}

/** The shape pg-boss 10 accepts as its `db` option (it never passes options), so one executor serves Piper and pg-boss. */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[], options?: SqlOptions): Promise<SqlResult>;
}

/**
 * PGlite has one session. pg-boss sends schema installs and locked maintenance as multi-statement
 * scripts without parameters, which `query()` refuses (a prepared statement holds one command), so
 * those go through `exec()`. A script that fails half-way would leave that one session inside an
 * aborted transaction and break every later query, Prisma's included: roll it back at once.
 */
export function pgliteExecutor(pglite: Pick<PGlite, "query" | "exec" | "isInTransaction">): SqlExecutor {
  // PGlite's query() prepares an unnamed statement every time; its session keeps named ones (PREPARE), which
  // EXECUTE reaches only through the simple protocol — so the values travel as typed literals.
  const prepared = new Map<string, Promise<unknown>>();
  const prepare = (name: string, types: readonly string[], text: string) => {
    if (!/^[a-z_][a-z0-9_]*$/i.test(name)) throw new TypeError(`not a plain statement name: ${name}`);
    let done = prepared.get(name);
    if (!done) {
      done = pglite.exec(`PREPARE ${name}(${types.join(", ")}) AS ${text}`);
      prepared.set(name, done);
      done.catch(() => prepared.delete(name));
    }
    return done;
  };
  return {
    async executeSql(text, values, options) {
      try {
        if (options?.prepared && values && values.length > 0) {
          const { name, types } = options.prepared;
          await prepare(name, types, text);
          const results = await pglite.exec(`EXECUTE ${name}(${values.map((v, i) => typedLiteral(v, types[i]!)).join(", ")})`, urgency(options));
          return (results.at(-1) as SqlResult | undefined) ?? { rows: [] };
        }
        if (values && values.length > 0) return (await pglite.query(text, values, urgency(options))) as SqlResult;
        const results = await pglite.exec(text, urgency(options));
        return (results.at(-1) as SqlResult | undefined) ?? { rows: [] };
      } catch (err) {
        if (pglite.isInTransaction()) await pglite.exec("ROLLBACK").catch(() => undefined);
        throw err;
      }
    },
  };
}

/** PGliteThread reads `urgent`; PGlite itself ignores an option it doesn't know. */
function urgency(options: SqlOptions | undefined): QueryOptions | undefined {
  return options?.urgent ? ({ urgent: true } as QueryOptions) : undefined;
}

/**
 * On PostgreSQL a prepared statement is node-postgres's named query (each pooled connection parses it
 * once), and an urgent one runs on `urgentPool` when there is one, never waiting for a busy connection.
 */
export function poolExecutor(pool: pg.Pool, urgentPool: pg.Pool = pool): SqlExecutor {
  return {
    async executeSql(text, values, options) {
      const on = options?.urgent ? urgentPool : pool;
      return (options?.prepared ? await on.query({ name: options.prepared.name, text, values }) : await on.query(text, values)) as SqlResult;
    },
  };
}
