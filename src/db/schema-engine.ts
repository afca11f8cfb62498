// Loads Prisma's schema engine compiled to WASM (no native binary, no download) and reads the migrations folder.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm";

type EngineModule = typeof import("@prisma/schema-engine-wasm");
type WasmExports = Record<string, unknown>;
/** Node has WebAssembly at run time; its types live in the DOM lib, which Piper does not load. */
const wasmRuntime = (globalThis as unknown as { WebAssembly: { instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: WasmExports } }> } }).WebAssembly;

let loaded: Promise<EngineModule> | undefined;

/**
 * The package's entry imports its .wasm as an ES module, which Node cannot do; instantiate the
 * wasm ourselves against the JS glue, once per process.
 */
function loadEngineModule(): Promise<EngineModule> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    // The package exports no ./package.json; resolve its glue subpath and read files beside it.
    const dir = dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
    const glue = (await import(pathToFileURL(join(dir, "schema_engine_bg.js")).href)) as EngineModule & {
      __wbg_set_wasm(exports: WasmExports): void;
    };
    const bytes = readFileSync(join(dir, "schema_engine_bg.wasm"));
    const { instance } = await wasmRuntime.instantiate(bytes, { "./schema_engine_bg.js": glue });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })();
  return loaded;
}

export async function openSchemaEngine(adapterFactory: SqlMigrationAwareDriverAdapterFactory, schema?: { path: string; content: string }): Promise<SchemaEngine> {
  const mod = await loadEngineModule();
  const datamodels: [string, string][] | undefined = schema ? [[schema.path, schema.content]] : undefined;
  // The engine logs through this callback; its messages are debug-level chatter we do not need.
  return mod.SchemaEngine.new({ datamodels }, () => undefined, bindMigrationAwareSqlAdapterFactory(adapterFactory));
}

/** Reads prisma/migrations in Prisma's standard layout into the engine's MigrationList. */
export function readMigrations(migrationsDir: string): MigrationList {
  const lockPath = join(migrationsDir, "migration_lock.toml");
  const directories = existsSync(migrationsDir)
    ? readdirSync(migrationsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(join(migrationsDir, d.name, "migration.sql")))
        .map((d) => d.name)
        .sort()
    : [];
  return {
    baseDir: migrationsDir,
    lockfile: { path: "migration_lock.toml", content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: directories.map((name) => ({
      path: name,
      migrationFile: { path: "migration.sql", content: { tag: "ok", value: readFileSync(join(migrationsDir, name, "migration.sql"), "utf8") } },
    })),
  } as MigrationList;
}
