import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/index.js";
import { DatabaseUnavailableError } from "../../src/errors.js";
import { createLogger } from "../../src/logger.js";

const logger = createLogger({ level: "silent" });

describe("an unreachable PostgreSQL", () => {
  it("fails with one sentence naming host, port and database — never the password", async () => {
    const err = await openDatabase({ kind: "postgres", url: "postgres://nobody:hunter2@127.0.0.1:1/x" }, logger).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseUnavailableError);
    const message = (err as Error).message;
    expect(message).toBe("Cannot reach PostgreSQL at 127.0.0.1:1/x (connection refused). Check DATABASE_URL, or unset it to use the embedded database.");
    expect(message).not.toContain("hunter2");
    expect((err as DatabaseUnavailableError).userMessage).not.toContain("127.0.0.1");
  });
});
