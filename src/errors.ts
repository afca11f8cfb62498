// Piper's error classes. Each has a stable code and a sentence that can be shown in Slack.

export abstract class PiperError extends Error {
  abstract readonly code: string;
  /** A sentence a Slack user understands; never contains internals or secrets. */
  abstract readonly userMessage: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class DatabaseUnavailableError extends PiperError {
  readonly code = "DATABASE_UNAVAILABLE";
  readonly userMessage = "My database is unreachable right now, so I can't do that. Please try again in a minute.";
}

export function isPiperError(e: unknown): e is PiperError {
  return e instanceof PiperError;
}

export class PortInUseError extends PiperError {
  readonly code = "PORT_IN_USE";
  readonly userMessage: string;
  constructor(
    readonly port: number,
    readonly variable: string,
  ) {
    super(`port ${port} is already in use — stop whatever is using it or set ${variable} to a free port`);
    this.userMessage = this.message;
  }
}

/** Node's "address in use" error, from net.Server#listen. */
export function isAddressInUse(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === "EADDRINUSE";
}

/** Two processes writing one PGlite folder corrupt it, so a second one is refused. */
export class DataFolderInUseError extends PiperError {
  readonly code = "DATA_FOLDER_IN_USE";
  readonly userMessage: string;
  constructor(message: string) {
    super(message);
    this.userMessage = message;
  }
}
