// Migrations create the schema, are recorded in _prisma_migrations, and a second run applies nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readdirSync } from "node:fs";
import { openDatabase } from "../../src/db/index.js";
import { applyMigrations, DEFAULT_MIGRATIONS_DIR } from "../../src/db/migrate.js";
import { PrismaPg } from "@prisma/adapter-pg";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { createLogger } from "../../src/logger.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";

const logger = createLogger({ level: "silent" });

function migrationFolders(): string[] {
  return readdirSync(DEFAULT_MIGRATIONS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

describe("migrations", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.dispose());

  it("create every table the next issues need", async () => {
    const rows = await db.prisma.$queryRawUnsafe<Array<{ table_name: string }>>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    );
    const tables = rows.map((r) => r.table_name);
    for (const t of ["Territory", "Room", "Person", "ConversationTurn", "ProcessedEvent", "Project", "WorkflowRun", "TaskRun", "RoomMemory", "_prisma_migrations"]) {
      expect(tables).toContain(t);
    }
  });

  it("are recorded and applied only once", async () => {
    const factory = db.url ? new PrismaPg({ connectionString: db.url }) : undefined;
    if (factory) {
      expect(await applyMigrations(factory, logger)).toEqual([]);
    } else {
      const opened = await openDatabase({ kind: "pglite", dataDir: ":memory:" }, logger);
      expect(opened.appliedMigrations).toEqual(migrationFolders());
      await opened.close();
      const pglite = new PGlite();
      const fresh = new PrismaPGlite(pglite);
      expect((await applyMigrations(fresh, logger)).length).toBeGreaterThan(0);
      expect(await applyMigrations(fresh, logger)).toEqual([]);
      await pglite.close();
    }
    const applied = await db.prisma.$queryRawUnsafe<Array<{ migration_name: string }>>("SELECT migration_name FROM _prisma_migrations ORDER BY migration_name");
    expect(applied.map((r) => r.migration_name)).toEqual(migrationFolders());
  }, 120_000); // two fresh PGlite instances initialised and migrated: seconds each, many on a busy machine

  it("ping answers true while the database is up", async () => {
    expect(await db.ping()).toBe(true);
  });
});
