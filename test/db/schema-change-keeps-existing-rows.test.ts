// Editing the schema and authoring a migration (the db:new-migration code path) keeps rows in an existing PGlite folder.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { authorMigration, InvalidMigrationNameError } from "../../src/db/author-migration.js";
import { openDatabase } from "../../src/db/index.js";
import { DEFAULT_MIGRATIONS_DIR, DEFAULT_SCHEMA_PATH } from "../../src/db/migrate.js";
import { createLogger } from "../../src/logger.js";

const logger = createLogger({ level: "silent" });

describe("a schema change becomes a migration that keeps existing rows", () => {
  const work = mkdtempSync(join(tmpdir(), "piper-migration-"));
  const migrationsDir = join(work, "migrations");
  const schemaPath = join(work, "schema.prisma");
  const dataDir = join(work, "data");
  cpSync(DEFAULT_MIGRATIONS_DIR, migrationsDir, { recursive: true });
  cpSync(DEFAULT_SCHEMA_PATH, schemaPath);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("writes no migration while the schema matches the migrations", async () => {
    expect(await authorMigration({ name: "nothing", schemaPath, migrationsDir })).toBeUndefined();
    // Authoring starts two PGlite instances (main and shadow): seconds each on a busy 2-core machine.
  }, 120_000);

  it("rejects a name that is not a plain identifier", async () => {
    await expect(authorMigration({ name: "Add X!", schemaPath, migrationsDir })).rejects.toBeInstanceOf(InvalidMigrationNameError);
  });

  it("adds the column on the next start of an existing PGlite data folder, rows intact", async () => {
    const first = await openDatabase({ kind: "pglite", dataDir }, logger, { migrationsDir });
    await first.prisma.project.create({ data: { name: "mobile", githubRepo: "acme/mobile" } });
    await first.close();

    const schema = readFileSync(schemaPath, "utf8").replace("  notionTarget String?\n", "  notionTarget String?\n  dueDate      DateTime?\n");
    writeFileSync(schemaPath, schema);
    const folder = await authorMigration({ name: "add_x", schemaPath, migrationsDir, now: new Date("2030-01-02T03:04:05Z") });
    expect(folder).toBe(join(migrationsDir, "20300102030405_add_x"));
    const sql = readFileSync(join(folder!, "migration.sql"), "utf8");
    expect(sql).toMatch(/ALTER TABLE "Project" ADD COLUMN\s+"dueDate" TIMESTAMP\(3\)/);
    expect(readdirSync(migrationsDir).filter((n) => n !== "migration_lock.toml")).toHaveLength(readdirSync(DEFAULT_MIGRATIONS_DIR).length);

    const second = await openDatabase({ kind: "pglite", dataDir }, logger, { migrationsDir });
    const rows = await second.prisma.$queryRawUnsafe<Array<{ name: string; githubRepo: string; dueDate: Date | null }>>(
      'SELECT name, "githubRepo", "dueDate" FROM "Project"',
    );
    expect(rows).toEqual([{ name: "mobile", githubRepo: "acme/mobile", dueDate: null }]);
    await second.close();
  }, 180_000);
});
