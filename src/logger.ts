// Structured logging: JSON lines, or pretty lines at a terminal. Secrets are redacted by configuration, so no call site has to remember.
import { createRequire } from "node:module";
import { pino, type Bindings, type Logger, type LoggerOptions } from "pino";

export type { Logger };

export type LogFormat = "json" | "pretty";

/** Paths pino censors wherever they appear in a log object. */
export const REDACTED_PATHS = [
  "token",
  "*.token",
  "botToken",
  "*.botToken",
  "appToken",
  "*.appToken",
  "signingSecret",
  "*.signingSecret",
  "apiKey",
  "*.apiKey",
  "password",
  "*.password",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  // Octokit's RequestError keeps the request's headers; its own redaction misses a token with a line break in it.
  "*.request.headers.authorization",
  "*.headers[\"x-slack-signature\"]",
  "response_url",
  "*.response_url",
];

const TOKEN = /(xox[abprce]-|xapp-|gh[pousr]_|github_pat_|secret_|ntn_|sk-ant-)[\w-]+/g;
// fetch quotes a header value it can't send — "Bearer <token>" with a line break pasted into it — whole.
const INVALID_HEADER = /(Headers\.(?:append|set): )"[\s\S]*?"( is an invalid header value)/g;

/** Text with anything shaped like a Slack, GitHub, Notion or Anthropic credential replaced. */
export function redactSecrets(text: string): string {
  return text.replace(INVALID_HEADER, '$1"[redacted]"$2').replace(TOKEN, "$1[redacted]");
}

/** A copy of a serialized error with its text redacted; paths can't reach a token quoted inside a message or stack. */
function redactText(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactSecrets(value);
  if (value === null || typeof value !== "object" || depth > 6) return value;
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return value;
  if (Array.isArray(value)) return value.map((v) => redactText(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, redactText(v, depth + 1)]));
}

export interface CreateLoggerOptions extends Pick<LoggerOptions, "base"> {
  level: string;
  /** Where lines go (default stdout). */
  destination?: pino.DestinationStream;
  /** LOG_FORMAT; unset means pretty at a terminal, JSON otherwise. */
  format?: LogFormat;
  /** Whether the destination is a terminal (main passes process.stdout.isTTY). */
  tty?: boolean;
}

export function createLogger(options: CreateLoggerOptions): Logger {
  const { destination, format, tty, ...rest } = options;
  const settings: LoggerOptions = {
    ...rest,
    // Redaction happens before any formatting, so pretty and JSON lines censor exactly the same fields.
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    serializers: { err: (err: Error) => redactText(pino.stdSerializers.err(err)) },
    // SDK loggers (Bolt's adapter, Octokit's) hand us finished sentences that can quote an error.
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((a: unknown) => (typeof a === "string" ? redactSecrets(a) : a)) as typeof args);
      },
    },
  };
  const prettify = (format ?? (tty ? "pretty" : "json")) === "pretty" ? loadPrettifier()?.({ colorize: tty === true }) : undefined;
  if (!prettify) {
    const logger = destination ? pino(settings, destination) : pino(settings);
    if (format === "pretty") logger.warn("LOG_FORMAT=pretty needs pino-pretty (a devDependency), which is not installed here; logging JSON");
    return logger;
  }
  const out = destination ?? pino.destination({ dest: 1, sync: true });
  // Formatted synchronously in the same write, so a line logged just before process.exit is not lost.
  return pino(settings, { write: (line: string) => void out.write(prettify(line)) });
}

const LEVELS = new Set(["trace", "debug", "info", "warn", "error", "fatal"]);

/**
 * `logger.child(bindings)`, made only when something is logged through it. pino's child() runs every
 * redaction path over each binding (a few KB of garbage per child; three per mention on the reply
 * path), and at the usual levels most requests never log through theirs. A call at a level that is
 * off is the parent's no-op and makes no child.
 */
export function lazyChild(logger: Logger, bindings: Bindings): Logger {
  let child: Logger | undefined;
  const made = () => (child ??= logger.child(bindings));
  return new Proxy(logger, {
    get(target, prop) {
      if (child === undefined && typeof prop === "string" && LEVELS.has(prop) && !target.isLevelEnabled(prop)) return Reflect.get(target, prop, target);
      const c = made();
      const value: unknown = Reflect.get(c, prop, c);
      return typeof value === "function" ? value.bind(c) : value;
    },
    set(_target, prop, value) {
      return Reflect.set(made(), prop, value);
    },
  });
}

type Prettify = (line: string) => string;

/**
 * pino-pretty's formatter, or undefined where it is not installed: it is a devDependency, present after
 * `npm install` (where people watch a terminal) and absent after `npm ci --omit=dev` (where logs go to a collector).
 */
export function loadPrettifier(load: (id: string) => unknown = createRequire(import.meta.url)): ((options: { colorize: boolean }) => Prettify) | undefined {
  let prettyFactory: (options: object) => Prettify;
  try {
    ({ prettyFactory } = load("pino-pretty") as { prettyFactory: typeof prettyFactory });
  } catch (err) {
    if ((err as { code?: unknown }).code === "MODULE_NOT_FOUND") return undefined;
    throw err;
  }
  return ({ colorize }) => prettyFactory({ colorize, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname" });
}
