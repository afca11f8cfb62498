// Copies what tsc does not: the emulator's web page and the Prisma migrations the built app applies at start.
import { cpSync } from "node:fs";

cpSync("src/local/web", "dist/src/local/web", { recursive: true });
cpSync("prisma", "dist/prisma", { recursive: true });
cpSync("src/routing/utterances", "dist/src/routing/utterances", { recursive: true, filter: (src) => !src.endsWith(".ts") }); // the labelled utterances (*.jsonl) the classifiers load
