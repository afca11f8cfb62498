// `npm run db:new-migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/ from schema changes.
import { relative } from "node:path";
import { authorMigration, InvalidMigrationNameError } from "./author-migration.js";

const name = process.argv[2];
if (!name) {
  process.stderr.write("Usage: npm run db:new-migration -- <name>   (e.g. add_due_dates)\n");
  process.exit(1);
}
try {
  const folder = await authorMigration({ name });
  process.stdout.write(folder ? `Wrote ${relative(process.cwd(), folder)}/migration.sql\n` : "No schema changes; no migration written.\n");
  // Open PGlite instances keep the event loop alive.
  process.exit(0);
} catch (err) {
  process.stderr.write(`${err instanceof InvalidMigrationNameError ? err.message : `Could not write the migration: ${(err as Error).message}`}\n`);
  process.exit(1);
}
