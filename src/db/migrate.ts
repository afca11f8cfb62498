// Applies pending migrations from prisma/migrations through the WASM schema engine; idempotent.
import { fileURLToPath } from "node:url";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { Logger } from "../logger.js";
import { openSchemaEngine, readMigrations } from "./schema-engine.js";

export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL("../../prisma/migrations", import.meta.url));
export const DEFAULT_SCHEMA_PATH = fileURLToPath(new URL("../../prisma/schema.prisma", import.meta.url));

/** Returns the names of the migrations applied by this call (empty when the database was up to date). */
export async function applyMigrations(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  logger: Logger,
  migrationsDir = DEFAULT_MIGRATIONS_DIR,
): Promise<string[]> {
  const tracked = trackConnections(adapterFactory);
  const engine = await openSchemaEngine(tracked.factory);
  try {
    const { appliedMigrationNames } = await engine.applyMigrations({
      migrationsList: readMigrations(migrationsDir),
      filters: { externalTables: [], externalEnums: [] },
    });
    if (appliedMigrationNames.length > 0) logger.info({ migrations: appliedMigrationNames }, `applied database migrations: ${appliedMigrationNames.join(", ")}`);
    else logger.info("database schema is up to date");
    return appliedMigrationNames;
  } finally {
    engine.free();
    // Freeing the engine does not close its connections; an open one keeps holding Prisma's
    // migration advisory lock, and the next instance to start would wait 10 s for it.
    await tracked.disposeAll();
  }
}

function trackConnections(factory: SqlMigrationAwareDriverAdapterFactory) {
  const opened: SqlDriverAdapter[] = [];
  const keep = async (adapter: Promise<SqlDriverAdapter>) => {
    const a = await adapter;
    opened.push(a);
    return a;
  };
  const wrapped: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => keep(factory.connect()),
    connectToShadowDb: () => keep(factory.connectToShadowDb()),
  };
  return {
    factory: wrapped,
    disposeAll: async () => {
      await Promise.all(opened.splice(0).map((a) => a.dispose().catch(() => undefined)));
    },
  };
}
