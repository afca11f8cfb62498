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
  return new DatabaseUnavailableError(
    `Cannot reach PostgreSQL at ${describePostgres(url)} (${reason}). Check DATABASE_URL, or unset it to use the embedded database.`,
    { cause: err },
  );
}

/** Prisma's unique-constraint violation (P2002). */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === "P2002";
}
