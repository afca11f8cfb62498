// The node flags `npm start` gives Piper, read from package.json, so the bench runs Piper as users do.
import { readFileSync } from "node:fs";

/** Node flags whose value is the next word (the others are --flag or --flag=value). */
const TAKES_A_VALUE = new Set(["--import", "--require", "-r", "--loader", "--experimental-loader"]);

/**
 * The flags between `node` and the entry point of an npm script such as
 * `exec node --v8-pool-size=0 --import tsx src/main.ts`, without `--import tsx` (the bench adds its own loader).
 */
export function nodeFlagsOf(script: string): string[] {
  const words = script.trim().split(/\s+/);
  const node = words.indexOf("node");
  if (node < 0) throw new Error(`the script does not run node: ${script}`);
  const flags: string[] = [];
  for (let i = node + 1; i < words.length && words[i]!.startsWith("-"); i++) {
    const flag = words[i]!;
    const value = TAKES_A_VALUE.has(flag) ? words[++i] : undefined;
    if (value === undefined) flags.push(flag);
    else if (!(flag === "--import" && value === "tsx")) flags.push(flag, value);
  }
  return flags;
}

/** The node flags of one of package.json's scripts: `start` (how users run Piper) unless another is named. */
export function npmScriptNodeFlags(packageJsonPath: string, script = "start"): string[] {
  const pkg = JSON.parse(readFileSync(packageJsonPath, "utf8")) as { scripts?: Record<string, string> };
  const command = pkg.scripts?.[script];
  if (!command) throw new Error(`${packageJsonPath} has no ${script} script`);
  return nodeFlagsOf(command);
}
