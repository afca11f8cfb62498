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
  "*.headers[\"x-slack-signature\"]",
  "response_url",
  "*.response_url",
];

export function createLogger(options: { level: string; destination?: pino.DestinationStream } & Pick<LoggerOptions, "base">): Logger {
  const { destination, ...rest } = options;
  const settings: LoggerOptions = {
    ...rest,
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    serializers: { err: pino.stdSerializers.err },
  };
  return destination ? pino(settings, destination) : pino(settings);
}
