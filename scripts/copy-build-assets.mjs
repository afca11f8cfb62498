// Copies what tsc does not: the emulator's web page, the Prisma migrations the built app applies at start, and PGlite's worker thread's plain-JavaScript entry point.
import { cpSync } from "node:fs";

cpSync("src/local/web", "dist/src/local/web", { recursive: true });
cpSync("prisma", "dist/prisma", { recursive: true });
cpSync("src/routing/utterances", "dist/src/routing/utterances", { recursive: true, filter: (src) => !src.endsWith(".ts") }); // the labelled utterances (*.jsonl) the classifiers load
cpSync("src/db/pglite-worker.mjs", "dist/src/db/pglite-worker.mjs");
