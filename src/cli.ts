// `piper`: the package's command line. `piper start` runs Piper (as `npm start` does); `piper route` shows how a message would be routed, posting nothing.
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import pino from "pino";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { openDatabase, type OpenedDatabase } from "./db/index.js";
import { isPiperError } from "./errors.js";
import { createIntegrations } from "./integrations/index.js";
import { createLogger, type Logger } from "./logger.js";
import { classifierCacheDir, createIntentResolver } from "./routing/create-routing.js";
import { terminalFor } from "./routing/gate.js";
import type { IntentResolver } from "./routing/intent-resolver.js";
import { normalizeSlackText } from "./slack/message-text.js";

const USAGE = `Usage:
  piper start                      run Piper (same as npm start)
  piper route "<message>" [--json] show the intent and terminal a message reaches, posting nothing
  piper route --stdin              one message per line in, one JSON line per message out, in order`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "start") {
    await import("./main.js");
    return -1; // main.ts owns the process from here
  }
  if (command === "route") return route(rest);
  process.stderr.write(`${command && command !== "help" && command !== "--help" ? `Unknown command "${command}".\n\n` : ""}${USAGE}\n`);
  return command === "help" || command === "--help" ? 0 : 2;
}

async function route(args: string[]): Promise<number> {
  const json = args.includes("--json");
  const stdin = args.includes("--stdin");
  const text = args.filter((a) => !a.startsWith("--")).join(" ");
  if (!stdin && text.trim() === "") {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (existsSync(".env")) process.loadEnvFile(".env");
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`piper route: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  // Logs go to stderr so stdout stays one JSON object per message.
  const logger = createLogger({ level: process.env.LOG_LEVEL ? config.logLevel : "warn", format: "json", tty: false, destination: pino.destination({ dest: 2, sync: true }) });
  const integrations = await createIntegrations({ config, logger });
  const db = await openKnownProjects(config, logger);
  try {
    const resolver = createIntentResolver({
      config,
      logger,
      llm: integrations.llm,
      llmAvailable: () => integrations.policies.llm.snapshot().state !== "open",
      knownProjects: async () => (db ? (await db.prisma.project.findMany({ select: { name: true } })).map((p) => p.name) : []),
      classifierCacheDir: classifierCacheDir(config.database, true),
    });
    if (!stdin) {
      const result = await describe(resolver, text);
      process.stdout.write(json ? `${JSON.stringify(result)}\n` : `${humanReadable(result)}\n`);
      return 0;
    }
    const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of lines) {
      if (line.trim() === "") continue;
      process.stdout.write(`${JSON.stringify(await describe(resolver, line))}\n`);
    }
    return 0;
  } finally {
    await db?.close();
    await integrations.close();
  }
}

/** Known project names make "status of mobile" name a project; without the database (Piper holds the folder) routing still works. */
async function openKnownProjects(config: Config, logger: Logger): Promise<OpenedDatabase | undefined> {
  try {
    return await openDatabase(config.database, logger);
  } catch (err) {
    if (!isPiperError(err)) throw err;
    process.stderr.write(`piper route: ${err.message} — routing without known project names.\n`);
    return undefined;
  }
}

export interface RouteDescription {
  category: string;
  action: string;
  confidence: number;
  source: string;
  entities: unknown;
  terminal: string;
  parts?: unknown;
  modelFailure?: string;
}

async function describe(resolver: IntentResolver, text: string): Promise<RouteDescription> {
  const { intent, modelFailure } = await resolver.resolve({ message: normalizeSlackText(text), slash: false, history: [] });
  return {
    category: intent.category,
    action: intent.action,
    confidence: Math.round(intent.confidence * 1000) / 1000,
    source: intent.source,
    entities: intent.entities,
    terminal: terminalFor(intent),
    ...(intent.parts ? { parts: intent.parts } : {}),
    ...(modelFailure ? { modelFailure } : {}),
  };
}

function humanReadable(r: RouteDescription): string {
  const lines = [
    `category    ${r.category}`,
    `action      ${r.action}`,
    `confidence  ${r.confidence.toFixed(2)} (${r.source})`,
    `terminal    ${r.terminal}`,
    `entities    ${JSON.stringify(r.entities)}`,
  ];
  if (r.parts) lines.push(`parts       ${JSON.stringify(r.parts)}`);
  if (r.modelFailure) lines.push(`model       ${r.modelFailure}`);
  return lines.join("\n");
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`piper: ${(err as Error)?.message ?? String(err)}\n`);
    process.exit(1);
  },
);
