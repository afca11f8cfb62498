// Turns driver-level connection failures into one sentence that says where Piper tried to connect.
import { DatabaseUnavailableError } from "../errors.js";

/** host:port/database from a connection string — never the user's password. */
export function describePostgres(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || "5432"}${u.pathname}`;
  } catch {
    return "the configured server";
  }
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  ETIMEDOUT: "connection timed out",
  ECONNRESET: "connection reset",
  "28P01": "password authentication failed",
  "28000": "authentication rejected",
  "3D000": "database does not exist",
};

export function postgresUnavailable(url: string, err: unknown): DatabaseUnavailableError {
  const code = (err as { code?: string } | undefined)?.code;
  const message = (err as Error | undefined)?.message ?? "";
  const reason = (code && REASONS[code]) ?? (/timeout/i.test(message) ? "connection timed out" : "cannot connect");
  // The server answered but refused us (auth, missing database): "reach" would send people hunting network problems.
  const verb = code && /^(28|3D)/.test(code) ? "Cannot use" : "Cannot reach";
  return new DatabaseUnavailableError(
    `${verb} PostgreSQL at ${describePostgres(url)} (${reason}). Check DATABASE_URL, or unset it to use the embedded database.`,
    { cause: err },
  );
}

/**
 * A unique-constraint violation: P2002 from model queries, or a raw query (P2010) whose driver
 * error is PostgreSQL's 23505 — the same on PGlite and PostgreSQL.
 */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  const { code, meta } = err as { code?: unknown; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; kind?: unknown } } } };
  if (code === "P2002") return true;
  const cause = meta?.driverAdapterError?.cause;
  return code === "P2010" && (cause?.kind === "UniqueConstraintViolation" || cause?.originalCode === "23505");
}
