// Prisma CLI configuration. Piper applies migrations itself (src/db/migrate.ts), so only
// the schema location matters here.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
