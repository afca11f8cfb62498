// Entry point: load config, start Piper, print one banner line, and shut down cleanly on SIGINT/SIGTERM.
import { existsSync } from "node:fs";
import { ConfigError, loadConfig } from "./config.js";
import { createLogger } from "./logger.js";
import { isPiperError } from "./errors.js";
import { startPiper, type RunningPiper } from "./piper.js";
import { createStopSignals } from "./stop-signals.js";

async function main(): Promise<void> {
  // A .env beside package.json is read if present; variables already in the environment win.
  if (existsSync(".env")) process.loadEnvFile(".env");
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Piper cannot start: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel, format: config.logFormat, tty: process.stdout.isTTY });

  // Signals are handled from the first moment: a Ctrl-C during start-up stops cleanly once started,
  // and one right after the banner can never hit Node's default (kill) before a handler exists.
  let piper: RunningPiper | undefined;
  let stopping = false;
  const decide = createStopSignals();
  const stop = async (): Promise<never> => {
    // The drain is bounded by config; this is the backstop if a shutdown step itself hangs.
    const deadline = setTimeout(() => process.exit(1), config.work.shutdownDrainMs + 5_000);
    deadline.unref();
    try {
      await piper?.stop();
      process.exit(0);
    } catch {
      process.exit(1);
    }
  };
  const onSignal = (signal: string) => {
    const decision = decide(signal);
    if (decision === "repeat") return;
    if (decision === "now") process.exit(1);
    stopping = true;
    logger.info({ signal }, "shutting down");
    if (piper) void stop();
  };
  process.on("SIGINT", () => onSignal("SIGINT"));
  process.on("SIGTERM", () => onSignal("SIGTERM"));

  try {
    piper = await startPiper(config, logger);
  } catch (err) {
    // Known failures (database unreachable, port taken, …) are one sentence; only surprises get a logged stack.
    if (isPiperError(err) || err instanceof ConfigError) {
      process.stderr.write(`Piper cannot start: ${err.message}\n`);
    } else {
      logger.fatal({ err }, "startup failed");
      process.stderr.write(`Piper cannot start: unexpected error: ${(err as Error).message}\n`);
    }
    process.exit(1);
  }
  if (stopping) await stop();

  const where =
    config.slack.mode === "local"
      ? `talk to Piper at ${piper.localSlack!.url}`
      : config.slack.mode === "socket"
        ? "connected to Slack over Socket Mode"
        : `Slack requests on ${piper.http.url}/slack/events`;
  process.stdout.write(`Piper is up — mode: ${config.slack.mode}, database: ${piper.db.description} — ${where} (health: ${piper.http.url}/healthz)\n`);
}

void main();
