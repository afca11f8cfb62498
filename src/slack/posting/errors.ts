// What can go wrong posting to Slack, each with a code and a sentence a Slack user understands.
import { PiperError } from "../../errors.js";

export class SlackRateLimitedError extends PiperError {
  readonly code = "SLACK_RATE_LIMITED";
  readonly userMessage: string;
  constructor(readonly retryAfterSeconds: number) {
    super(`Slack rate limited the call; retry after ${retryAfterSeconds}s`);
    this.userMessage = `Slack is rate-limiting me right now — please try again in about ${retryAfterSeconds} seconds.`;
  }
}

/** A write whose outcome stayed unknown (timeouts, 5xx) even after looking for it and one more attempt. */
export class SlackWriteUnconfirmedError extends PiperError {
  readonly code = "SLACK_WRITE_UNCONFIRMED";
  readonly userMessage = "Slack didn't confirm my reply, so I stopped rather than risk posting it twice — please ask again in a minute.";
  constructor(
    readonly method: string,
    options?: { cause?: unknown },
  ) {
    super(`${method}: Slack did not confirm the write, and it could not be found afterwards`, options);
  }
}

/** Slack answered ok:false: it did not perform the write, and said why (`slackError`). */
export class SlackRefusedError extends PiperError {
  readonly code = "SLACK_REFUSED";
  readonly userMessage: string;
  constructor(
    readonly method: string,
    readonly slackError: string,
    options?: { cause?: unknown },
  ) {
    super(`${method}: Slack refused with ${slackError}`, options);
    this.userMessage = `Slack refused my reply (\`${slackError}\`). If this keeps happening, whoever runs Piper can look it up in the logs.`;
  }
}
