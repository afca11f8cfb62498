// A value written into SQL text as a typed literal, for the one place Piper does that: EXECUTE of a statement prepared on PGlite.

/**
 * `value` as an SQL expression cast to `type` (`$q1$it's$q1$::text`, `ARRAY[1,NULL]::int[]`). Strings are
 * dollar-quoted with a tag that does not occur in them, so no character needs escaping and no setting
 * (standard_conforming_strings) changes their meaning. Objects become JSON text. Throws on what SQL text
 * cannot carry faithfully (NUL, non-finite numbers, nested arrays, functions).
 */
export function typedLiteral(value: unknown, type: string): string {
  if (!/^[a-z_][a-z0-9_ ]*(\[\])?$/i.test(type)) throw new TypeError(`not a plain SQL type name: ${type}`);
  return `${literal(value, true)}::${type}`;
}

function literal(value: unknown, arraysAllowed: boolean): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`cannot write ${value} as an SQL literal`);
    return String(value);
  }
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return quoted(value);
  if (value instanceof Date) return quoted(value.toISOString());
  if (Array.isArray(value)) {
    if (!arraysAllowed) throw new TypeError("nested arrays are not supported");
    // ARRAY[] has no type to infer from; the cast after it gives the empty literal one.
    return value.length === 0 ? "'{}'" : `ARRAY[${value.map((v) => literal(v, false)).join(",")}]`;
  }
  if (typeof value === "object") return quoted(JSON.stringify(value));
  throw new TypeError(`cannot write a ${typeof value} as an SQL literal`);
}

function quoted(text: string): string {
  if (text.includes("\u0000")) throw new TypeError("SQL text cannot hold a NUL character");
  let n = 0;
  while (text.includes(`$q${n}$`)) n++;
  return `$q${n}$${text}$q${n}$`;
}
