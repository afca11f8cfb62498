// Once per `npm test`: prepare what every test file shares (the migrated PGlite template).
import type { TestProject } from "vitest/node";
import { ensurePgliteTemplate } from "./pglite-template.js";

declare module "vitest" {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  project.provide("pgliteTemplate", await ensurePgliteTemplate());
}
