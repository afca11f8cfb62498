import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { nodeFlagsOf, npmScriptNodeFlags } from "../../bench/start-script.js";

const PACKAGE_JSON = fileURLToPath(new URL("../../package.json", import.meta.url));

describe("the node flags the bench gives Piper", () => {
  it("are the start script's, without the tsx loader the bench adds itself", () => {
    expect(nodeFlagsOf("exec node --v8-pool-size=0 --import tsx src/main.ts")).toEqual(["--v8-pool-size=0"]);
    expect(nodeFlagsOf("exec node --import tsx src/main.ts")).toEqual([]);
  });

  it("keep a flag's separate value with it, and stop at the entry point", () => {
    expect(nodeFlagsOf("node --import ./trace.mjs --max-old-space-size=512 -r ./pre.cjs dist/src/main.js --verbose")).toEqual([
      "--import",
      "./trace.mjs",
      "--max-old-space-size=512",
      "-r",
      "./pre.cjs",
    ]);
  });

  it("refuse a start script that does not run node", () => {
    expect(() => nodeFlagsOf("tsx src/main.ts")).toThrow(/does not run node/);
  });

  it("include the V8 pool sized to the machine and the heap's room to grow, as npm start runs Piper", () => {
    const flags = npmScriptNodeFlags(PACKAGE_JSON);
    expect(flags).toContain("--v8-pool-size=0");
    expect(flags).toContain("--heap-growing-percent=100");
  });

  it("are the built app's too: npm run start:built runs Node as npm start does", () => {
    expect(npmScriptNodeFlags(PACKAGE_JSON, "start:built")).toEqual(npmScriptNodeFlags(PACKAGE_JSON));
  });
});
