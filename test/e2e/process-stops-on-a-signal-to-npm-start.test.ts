// A signal to `npm start`'s PID alone (what `docker stop` and supervisors send) stops Piper cleanly: exit 0, ports freed.
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { seededDataFolder } from "../support/pglite-template.js";

const ROOT = join(import.meta.dirname, "..", "..");

interface NpmStart {
  child: ChildProcess;
  output: string;
  banner: Promise<string | undefined>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function npmStart(dataDir: string): NpmStart {
  const child = spawn("npm", ["start"], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      npm_config_update_notifier: "false",
      LOG_LEVEL: "warn",
      PIPER_DATA_DIR: dataDir,
      PIPER_PORT: "0",
      PIPER_LOCAL_SLACK_PORT: "0",
      PIPER_HOST: "127.0.0.1",
    },
    // Its own process group, so the cleanup below can reach whatever npm started even if npm is gone.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const run: NpmStart = { child, output: "", banner: Promise.resolve(undefined), exit: Promise.resolve({ code: null, signal: null }) };
  run.exit = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  run.banner = new Promise((resolve) => {
    const onData = (d: Buffer) => {
      run.output += d.toString();
      const line = run.output.split("\n").find((l) => l.includes("Piper is up"));
      if (line) resolve(line);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    void run.exit.then(() => resolve(undefined));
  });
  return run;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

describe("npm start", () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const fn of cleanups.splice(0)) fn();
  });

  // Ctrl-C at a terminal signals the whole foreground process group: npm and Piper both get it, and npm forwards its copy.
  const cases = [
    { signal: "SIGINT", to: "npm's PID alone" },
    { signal: "SIGTERM", to: "npm's PID alone" },
    { signal: "SIGINT", to: "the whole process group, as Ctrl-C at a terminal does" },
  ] as const;
  for (const { signal, to } of cases) {
    it(`stops Piper with exit code 0 and frees its ports on ${signal} to ${to}`, async () => {
      const dataDir = seededDataFolder("piper-npm-signal-");
      const run = npmStart(dataDir);
      cleanups.push(() => {
        try {
          process.kill(-run.child.pid!, "SIGKILL");
        } catch {
          // the whole group is already gone
        }
        rmSync(dataDir, { recursive: true, force: true });
      });

      const banner = await run.banner;
      expect(banner, run.output).toBeDefined();
      const ports = [...banner!.matchAll(/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
      expect(ports).toHaveLength(2);

      process.kill(to.startsWith("npm") ? run.child.pid! : -run.child.pid!, signal);
      expect(await run.exit, run.output).toEqual({ code: 0, signal: null });
      for (const port of ports) expect(await portIsFree(port), `port ${port} still taken`).toBe(true);
    }, 180_000);
  }
});
