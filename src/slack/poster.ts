// Every Web API call Piper makes to Slack goes through here: breaker policy, 429 handling and pacing.
import { ErrorCode, type WebClient, type WebAPICallResult } from "@slack/web-api";
import type { Logger } from "../logger.js";
import { PiperError } from "../errors.js";
import type { ChannelPacer } from "./pacer.js";

/** The shape of an integrations policy: runs `fn` under timeout/breaker, with a signal to cancel. */
export interface CallPolicy {
  execute<T>(fn: (signal: AbortSignal) => Promise<T>, operation?: string): Promise<T>;
}

export const passThroughPolicy: CallPolicy = {
  execute: (fn) => fn(new AbortController().signal),
};

export class SlackRateLimitedError extends PiperError {
  readonly code = "SLACK_RATE_LIMITED";
  readonly userMessage: string;
  constructor(readonly retryAfterSeconds: number) {
    super(`Slack rate limited the call; retry after ${retryAfterSeconds}s`);
    this.userMessage = `Slack is rate-limiting me right now — please try again in about ${retryAfterSeconds} seconds.`;
  }
}

export interface PostedMessage {
  channel: string;
  ts: string;
}

export interface SlackPosterOptions {
  client: WebClient;
  policy: CallPolicy;
  pacer: ChannelPacer;
  logger: Logger;
  /**
   * A 429 whose Retry-After is at most this is waited out once, for that call only. Larger than the
   * other services' 5 s budget on purpose: when Slack limits a reply, there is no other way to reach
   * the person, so a late answer beats none.
   */
  maxRateLimitWaitSeconds?: number;
}

export interface MessageBody {
  text: string;
  blocks?: unknown[];
}

export class SlackPoster {
  readonly #maxWait: number;

  constructor(private readonly options: SlackPosterOptions) {
    this.#maxWait = options.maxRateLimitWaitSeconds ?? 30;
  }

  async postMessage(channel: string, threadTs: string | undefined, body: MessageBody): Promise<PostedMessage> {
    await this.options.pacer.wait(channel);
    const result = await this.call("chat.postMessage", (c) =>
      c.chat.postMessage({ channel, thread_ts: threadTs, text: body.text, ...(body.blocks ? { blocks: body.blocks as never } : {}) }),
    );
    return { channel: String(result.channel ?? channel), ts: String(result.ts) };
  }

  async update(channel: string, ts: string, body: MessageBody): Promise<void> {
    await this.call("chat.update", (c) => c.chat.update({ channel, ts, text: body.text, blocks: (body.blocks ?? []) as never }));
  }

  async setStatus(channel: string, threadTs: string, status: string): Promise<void> {
    await this.call("assistant.threads.setStatus", (c) => c.assistant.threads.setStatus({ channel_id: channel, thread_ts: threadTs, status }));
  }

  async startStream(args: { channel: string; threadTs: string; markdown: string; recipientUserId?: string; recipientTeamId?: string }): Promise<PostedMessage> {
    await this.options.pacer.wait(args.channel);
    const result = await this.call("chat.startStream", (c) =>
      c.chat.startStream({
        channel: args.channel,
        thread_ts: args.threadTs,
        markdown_text: args.markdown,
        ...(args.recipientUserId ? { recipient_user_id: args.recipientUserId, recipient_team_id: args.recipientTeamId } : {}),
      }),
    );
    return { channel: String(result.channel ?? args.channel), ts: String(result.ts) };
  }

  async appendStream(channel: string, ts: string, markdown: string): Promise<void> {
    await this.call("chat.appendStream", (c) => c.chat.appendStream({ channel, ts, markdown_text: markdown }));
  }

  async stopStream(channel: string, ts: string): Promise<void> {
    await this.call("chat.stopStream", (c) => c.chat.stopStream({ channel, ts }));
  }

  async publishHome(userId: string, view: Record<string, unknown>): Promise<void> {
    await this.call("views.publish", (c) => c.views.publish({ user_id: userId, view: view as never }));
  }

  /**
   * Runs one Web API call under the slack policy. The WebClient is built with
   * rejectRateLimitedCalls, so a 429 lands here instead of pausing every call: short waits are
   * taken once for this call alone, longer ones become a SlackRateLimitedError with the seconds.
   */
  async call<T extends WebAPICallResult>(method: string, fn: (client: WebClient) => Promise<T>): Promise<T> {
    try {
      return await this.options.policy.execute(() => fn(this.options.client), method);
    } catch (err) {
      const retryAfter = rateLimitedSeconds(err);
      if (retryAfter === undefined) throw err;
      if (retryAfter > this.#maxWait) throw new SlackRateLimitedError(retryAfter);
      this.options.logger.warn({ method, retryAfter }, "slack rate limited a call; waiting once");
      await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
      try {
        return await this.options.policy.execute(() => fn(this.options.client), method);
      } catch (again) {
        const secondWait = rateLimitedSeconds(again);
        if (secondWait !== undefined) throw new SlackRateLimitedError(secondWait);
        throw again;
      }
    }
  }
}

function rateLimitedSeconds(err: unknown): number | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const e = err as { code?: unknown; retryAfter?: unknown };
  if (e.code !== ErrorCode.RateLimitedError) return undefined;
  return typeof e.retryAfter === "number" ? e.retryAfter : 1;
}
