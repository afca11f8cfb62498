// `piper route` is the interface outside evaluations use: it prints the Intent and the terminal, posting nothing, with Piper's own configuration.
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededDataFolder } from "../support/pglite-template.js";

const ROOT = join(import.meta.dirname, "..", "..");

function piper(args: string[], env: Record<string, string>, stdin?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, "bin", "piper.mjs"), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? "");
  });
}

describe("piper route", () => {
  let dataDir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    dataDir = seededDataFolder("piper-route-");
    env = { PIPER_DATA_DIR: dataDir };
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("--json prints one object with the intent and the terminal it reaches", async () => {
    const { code, stdout, stderr } = await piper(["route", "--json", "what projects are we tracking?"], env);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(result).sort()).toEqual(["action", "category", "confidence", "entities", "source", "terminal"]);
    expect(result).toMatchObject({ category: "PORTFOLIO", action: "list_projects", terminal: "canonical" });
    expect(["pre", "local"]).toContain(result.source);
  }, 60_000);

  it("--stdin reads one message per line and prints one JSON line per message, in order", async () => {
    const input = ["hi piper", "summarize this thread please", "", "how do I connect GitHub?", "create an issue for the safari login bug and tell me what's blocking the release"].join("\n");
    const { code, stdout } = await piper(["route", "--stdin"], env, input);
    expect(code).toBe(0);
    const lines = stdout.trim().split("\n").map((l) => JSON.parse(l) as { category: string; terminal: string; source: string });
    expect(lines.map((l) => [l.category, l.terminal])).toEqual([
      ["CONVERSATION", "canonical"],
      ["SYNTHESIS", "workflow"],
      ["GUIDANCE", "canonical"],
      ["EXECUTION", "floor"],
    ]);
    expect(lines[0]!.source).toBe("pre");
  }, 60_000);

  it("prints the intent readably without --json, and explains usage when the message is missing", async () => {
    const readable = await piper(["route", "what shipped yesterday in acme/web?"], env);
    expect(readable.stdout).toMatch(/^category {4}TEMPORAL$/m);
    expect(readable.stdout).toMatch(/^terminal {4}canonical$/m);
    expect(readable.stdout).toContain('"repos":["acme/web"]');
    const missing = await piper(["route"], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('piper route "<message>"');
  }, 60_000);
});
