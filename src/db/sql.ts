// Raw SQL beside Prisma, on the same database: what pg-boss and a few batched statements run through.
import type { PGlite } from "@electric-sql/pglite";
import type pg from "pg";

export interface SqlResult {
  rows: Array<Record<string, unknown>>;
}

/** The shape pg-boss 10 accepts as its `db` option, so one executor serves Piper and pg-boss. */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<SqlResult>;
}

/**
 * PGlite has one session. pg-boss sends schema installs and locked maintenance as multi-statement
 * scripts without parameters, which `query()` refuses (a prepared statement holds one command), so
 * those go through `exec()`. A script that fails half-way would leave that one session inside an
 * aborted transaction and break every later query, Prisma's included: roll it back at once.
 */
export function pgliteExecutor(pglite: Pick<PGlite, "query" | "exec" | "isInTransaction">): SqlExecutor {
  return {
    async executeSql(text, values) {
      try {
        if (values && values.length > 0) return (await pglite.query(text, values)) as SqlResult;
        const results = await pglite.exec(text);
        return (results.at(-1) as SqlResult | undefined) ?? { rows: [] };
      } catch (err) {
        if (pglite.isInTransaction()) await pglite.exec("ROLLBACK").catch(() => undefined);
        throw err;
      }
    },
  };
}

export function poolExecutor(pool: pg.Pool): SqlExecutor {
  return { executeSql: async (text, values) => (await pool.query(text, values)) as SqlResult };
}
