import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    // Each file gets its own process-level isolation; db files each create their own database.
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Machines here have 2 cores; more workers only add contention.
    maxWorkers: 2,
  },
});
