import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { nodeFlagsOf, npmStartNodeFlags } from "../../bench/start-script.js";

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

  it("include the V8 pool sized to the machine, as npm start runs Piper", () => {
    expect(npmStartNodeFlags(fileURLToPath(new URL("../../package.json", import.meta.url)))).toContain("--v8-pool-size=0");
  });
});
