// A PostgreSQL that cannot be used fails fast with one sentence that names the host and never the password.
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/index.js";
import { DatabaseUnavailableError } from "../../src/errors.js";
import { createLogger } from "../../src/logger.js";
import { testServerUrl, withDatabase } from "../support/database.js";

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

  // Needs a real server to answer "no such database"; runs when PIPER_TEST_DATABASE_URL is set.
  it.skipIf(!testServerUrl())("says so when the server answers but the database does not exist", async () => {
    const url = withDatabase(testServerUrl()!, "piper_no_such_database");
    const err = await openDatabase({ kind: "postgres", url }, logger).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseUnavailableError);
    expect((err as Error).message).toMatch(/^Cannot use PostgreSQL at [^ ]+\/piper_no_such_database \(database does not exist\)\. /);
  });
});
