// What can go wrong talking to another service, each with a sentence a Slack user understands.
import { PiperError } from "../errors.js";
import { SERVICE_LABEL, type ServiceName } from "./service-names.js";

export { SERVICE_LABEL, type ServiceName };

const CONNECT_HINT: Record<ServiceName, string> = {
  slack: "set SLACK_BOT_TOKEN",
  github: "set GITHUB_TOKEN",
  notion: "set NOTION_TOKEN",
  llm: "set ANTHROPIC_API_KEY",
};

export abstract class IntegrationError extends PiperError {
  /** Whether this failure says something about the service's health (and so counts toward its breaker). */
  abstract readonly countsAsServiceFailure: boolean;
  constructor(
    readonly service: ServiceName,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class ServiceUnavailable extends IntegrationError {
  readonly code = "SERVICE_UNAVAILABLE";
  readonly countsAsServiceFailure = true;
  readonly userMessage: string;
  constructor(service: ServiceName, detail: string, readonly retryInSeconds?: number, options?: { cause?: unknown }) {
    super(service, `${service} unavailable: ${detail}`, options);
    const when = retryInSeconds ? ` — I'll be able to try again in about ${retryInSeconds} seconds` : " — please try again in a few minutes";
    this.userMessage = `${SERVICE_LABEL[service]} is unavailable right now${when}.`;
  }
}

export class TimedOut extends IntegrationError {
  readonly code = "TIMED_OUT";
  readonly countsAsServiceFailure = true;
  readonly userMessage: string;
  constructor(service: ServiceName, ms: number, options?: { cause?: unknown }) {
    super(service, `${service} did not answer within ${ms} ms`, options);
    this.userMessage = `${SERVICE_LABEL[service]} is taking too long to answer — please try again in a minute.`;
  }
}

export class RateLimited extends IntegrationError {
  readonly code = "RATE_LIMITED";
  // A rate limit is the service asking for room, not failing; it does not open the breaker.
  readonly countsAsServiceFailure = false;
  readonly userMessage: string;
  constructor(service: ServiceName, readonly retryAfterSeconds: number, options?: { cause?: unknown }) {
    super(service, `${service} rate limit; retry after ${retryAfterSeconds}s`, options);
    this.userMessage = `${SERVICE_LABEL[service]} is rate-limiting me — please try again in ${humanSeconds(retryAfterSeconds)}.`;
  }
}

export class NotFound extends IntegrationError {
  readonly code = "NOT_FOUND";
  readonly countsAsServiceFailure = false;
  readonly userMessage: string;
  constructor(service: ServiceName, what: string, options?: { cause?: unknown }) {
    super(service, `${service}: ${what} not found`, options);
    this.userMessage = `I couldn't find ${what} in ${SERVICE_LABEL[service]} — check the name, and that I have access to it.`;
  }
}

export class PermissionDenied extends IntegrationError {
  readonly code = "PERMISSION_DENIED";
  readonly countsAsServiceFailure = false;
  readonly userMessage: string;
  constructor(service: ServiceName, what: string, options?: { cause?: unknown }) {
    super(service, `${service}: permission denied for ${what}`, options);
    this.userMessage = `${SERVICE_LABEL[service]} says I'm not allowed to ${what}. The token I use may need more access.`;
  }
}

export class AuthenticationFailed extends IntegrationError {
  readonly code = "AUTHENTICATION_FAILED";
  readonly countsAsServiceFailure = false;
  readonly userMessage: string;
  constructor(service: ServiceName, options?: { cause?: unknown }) {
    super(service, `${service} rejected the credentials`, options);
    this.userMessage = `${SERVICE_LABEL[service]} rejected my credentials — whoever runs Piper should check the token (${CONNECT_HINT[service]}).`;
  }
}

export class InvalidRequest extends IntegrationError {
  readonly code = "INVALID_REQUEST";
  readonly countsAsServiceFailure = false;
  readonly userMessage: string;
  constructor(service: ServiceName, serviceMessage: string, options?: { cause?: unknown }) {
    super(service, `${service} rejected the request: ${serviceMessage}`, options);
    this.userMessage = `${SERVICE_LABEL[service]} didn't accept that: ${serviceMessage}`;
  }
}

/** A write the service may or may not have carried out: it did not confirm, and Piper could not find the result. */
export class OutcomeUnknown extends IntegrationError {
  readonly code = "OUTCOME_UNKNOWN";
  // The failure that left the outcome unknown was counted when it happened.
  readonly countsAsServiceFailure = false;
  readonly userMessage: string;
  readonly looked: boolean;
  constructor(service: ServiceName, what: string, options: { looked: boolean; cause?: unknown }) {
    super(service, `${service}: outcome unknown for ${what} (${options.looked ? "looked, not found" : "could not look"})`, options);
    this.looked = options.looked;
    const label = SERVICE_LABEL[service];
    const lookup = options.looked ? "I can't find it there" : "I couldn't check whether it happened";
    this.userMessage = `${label} didn't confirm ${what}, and ${lookup}. Please check ${label} before asking again, so it doesn't happen twice.`;
  }
}

export class NotConfigured extends IntegrationError {
  readonly code = "NOT_CONFIGURED";
  readonly countsAsServiceFailure = false;
  readonly userMessage: string;
  constructor(service: ServiceName) {
    super(service, `${service} is not configured`);
    this.userMessage =
      service === "llm"
        ? "I don't have a language model connected, so I can't do that part — whoever runs Piper can set ANTHROPIC_API_KEY."
        : `${SERVICE_LABEL[service]} isn't connected — ${CONNECT_HINT[service]}.`;
  }
}

export function isIntegrationError(err: unknown): err is IntegrationError {
  return err instanceof IntegrationError;
}

export function humanSeconds(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.ceil(seconds))} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? "a minute" : `${minutes} minutes`;
}

/** Parses Retry-After (seconds or HTTP date) into whole seconds. */
export function retryAfterSeconds(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const n = Number(value);
  if (Number.isFinite(n)) return Math.max(0, Math.ceil(n));
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}
