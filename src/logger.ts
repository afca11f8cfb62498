// Structured logging. Secrets are redacted by configuration, so no call site has to remember.
import { pino, type Logger, type LoggerOptions } from "pino";

export type { Logger };

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

export function createLogger(options: { level: string; destination?: pino.DestinationStream } & Pick<LoggerOptions, "base">): Logger {
  const { destination, ...rest } = options;
  const settings: LoggerOptions = {
    ...rest,
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    serializers: { err: (err: Error) => redactText(pino.stdSerializers.err(err)) },
    // SDK loggers (Bolt's adapter, Octokit's) hand us finished sentences that can quote an error.
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((a: unknown) => (typeof a === "string" ? redactSecrets(a) : a)) as typeof args);
      },
    },
  };
  return destination ? pino(settings, destination) : pino(settings);
}
