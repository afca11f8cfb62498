// Piper's one door to Slack's Web API: composes call layers, once-only posting, refusal handling and pacing (posting/).
import type { WebAPICallResult, WebClient } from "@slack/web-api";
import type { Logger } from "../logger.js";
import type { ChannelPacer } from "./pacer.js";
import { createSlackCall, type CallPolicy, type SlackCall } from "./posting/caller.js";
import { SlackWriteUnconfirmedError } from "./posting/errors.js";
import { findMessage, type PostedMessage } from "./posting/find-message.js";
import { realSleep, type Sleep } from "./posting/layers.js";
import type { DeliveredReply, ReplyTarget } from "./posting/not-in-channel.js";
import { outcomeOf } from "./posting/outcome.js";
import { postOnce, type MessageBody } from "./posting/post-once.js";
import { postReply, type PostReplyDeps } from "./posting/post-reply.js";
import { newReplyKey, replyMetadata } from "./posting/reply-key.js";
import { updateMessage, updateOrPost } from "./posting/update-or-post.js";
import { defuseMentions } from "./message-text.js";

export { createPostingClient, slackClientOptions, type SlackClientSettings } from "./posting/client-options.js";
export { SlackRateLimitedError, SlackRefusedError, SlackWriteUnconfirmedError } from "./posting/errors.js";
export type { CallPolicy, SlackCall } from "./posting/caller.js";
export type { PostedMessage } from "./posting/find-message.js";
export type { DeliveredReply, Delivery, ReplyTarget } from "./posting/not-in-channel.js";
export type { MessageBody } from "./posting/post-once.js";

export interface SlackPosterOptions {
  /** Built with slackClientOptions(): the SDK must not retry writes on its own. */
  client: WebClient;
  policy: CallPolicy;
  pacer: ChannelPacer;
  logger: Logger;
  /**
   * 429s are waited out, for that call only, while the waits add up to at most this. Larger than
   * the other services' 5 s budget on purpose: when Slack limits a reply, there is no other way to
   * reach the person, so a late answer beats none.
   */
  maxRateLimitWaitSeconds?: number;
  /** Waits before each repeat of a read lost to a timeout or 5xx (reads only; writes are never repeated blindly). */
  readRetryDelaysMs?: number[];
  /** Waits before each look for a write whose outcome is unknown; it may still be landing. */
  lookBackDelaysMs?: number[];
  /** The name people type in `/invite @name`. */
  botName?: string;
  sleep?: Sleep;
}

export interface WriteOptions {
  /** Idempotency key written into the message's metadata: the Slack event id being answered, when there is one. */
  key?: string;
}

export class SlackPoster {
  readonly #call: SlackCall;
  readonly #deps: PostReplyDeps;
  #botId: Promise<string | undefined> | undefined;

  constructor(private readonly options: SlackPosterOptions) {
    const sleep = options.sleep ?? realSleep;
    this.#call = createSlackCall({
      client: options.client,
      policy: options.policy,
      logger: options.logger,
      maxRateLimitWaitSeconds: options.maxRateLimitWaitSeconds ?? 30,
      readRetryDelaysMs: options.readRetryDelaysMs ?? [250, 1_000],
      sleep,
    });
    this.#deps = {
      call: this.#call,
      pacer: options.pacer,
      logger: options.logger,
      lookBackDelaysMs: options.lookBackDelaysMs ?? [500, 1_500],
      sleep,
      botName: options.botName ?? "piper",
    };
  }

  /**
   * Any Web API call, under the Slack breaker: 429s are waited out up to maxRateLimitWaitSeconds in
   * all, a longer wait becomes SlackRateLimitedError; reads lost to a timeout or 5xx are repeated. Writes made here are not
   * recovered — use the methods below for messages.
   */
  call<T extends WebAPICallResult>(method: string, fn: (client: WebClient) => Promise<T>): Promise<T> {
    return this.#call(method, fn);
  }

  /** The answer to a request, in its thread, with Slack's refusals handled (see posting/post-reply.ts). */
  postReply(target: ReplyTarget, body: MessageBody, options: { key: string }): Promise<DeliveredReply> {
    return postReply(this.#deps, target, defused(body), options.key);
  }

  /** The answer into `existing` (the placeholder); posted as a reply only if that message is gone. */
  updateOrPost(existing: PostedMessage, target: ReplyTarget, body: MessageBody, options: { key: string }): Promise<DeliveredReply> {
    return updateOrPost(this.#deps, existing, target, defused(body), options.key);
  }

  /** One message, created at most once (a lost answer is looked up by key); refusals throw SlackRefusedError. */
  postMessage(channel: string, threadTs: string | undefined, body: MessageBody, options: WriteOptions = {}): Promise<PostedMessage> {
    return postOnce(this.#deps, { channel, threadTs, body: defused(body), key: options.key ?? newReplyKey() });
  }

  /** Piper's message carrying `key` in the thread (or the channel's top level), if there is one. */
  async findByKey(channel: string, threadTs: string | undefined, key: string): Promise<PostedMessage | undefined> {
    const found = await findMessage(this.#call, { channel, ...(threadTs ? { threadTs } : {}) }, (m) => m.key === key);
    return found && { channel: found.channel, ts: found.ts };
  }

  update(channel: string, ts: string, body: MessageBody, options: WriteOptions = {}): Promise<void> {
    return updateMessage(this.#call, { channel, ts }, defused(body), options.key);
  }

  async setStatus(channel: string, threadTs: string, status: string): Promise<void> {
    await this.#call("assistant.threads.setStatus", (c) => c.assistant.threads.setStatus({ channel_id: channel, thread_ts: threadTs, status }));
  }

  /**
   * Starts a stream. chat.startStream takes no metadata, so a start with an unknown outcome is
   * looked for as Piper's first unkeyed message in the thread after `after` (the message being
   * answered); not found → SlackWriteUnconfirmedError, never a second start.
   */
  async startStream(args: { channel: string; threadTs: string; markdown: string; recipientUserId?: string; recipientTeamId?: string; after?: string }): Promise<PostedMessage> {
    await this.options.pacer.wait(args.channel);
    try {
      const result = await this.#call("chat.startStream", (c) =>
        c.chat.startStream({
          channel: args.channel,
          thread_ts: args.threadTs,
          markdown_text: defuseMentions(args.markdown),
          ...(args.recipientUserId ? { recipient_user_id: args.recipientUserId, recipient_team_id: args.recipientTeamId } : {}),
        }),
      );
      return { channel: String(result.channel ?? args.channel), ts: String(result.ts) };
    } catch (err) {
      if (outcomeOf(err) !== "unknown" || !args.after) throw err;
      this.options.logger.warn({ err, channel: args.channel, threadTs: args.threadTs }, "chat.startStream outcome unknown; looking for the stream");
      const found = await this.#findStream(args.channel, args.threadTs, args.after).catch(() => undefined);
      if (found) return found;
      throw new SlackWriteUnconfirmedError("chat.startStream", { cause: err });
    }
  }

  async appendStream(channel: string, ts: string, markdown: string): Promise<void> {
    await this.#call("chat.appendStream", (c) => c.chat.appendStream({ channel, ts, markdown_text: defuseMentions(markdown) }));
  }

  async stopStream(channel: string, ts: string, options: WriteOptions = {}): Promise<void> {
    await this.#call("chat.stopStream", (c) => c.chat.stopStream({ channel, ts, ...(options.key ? { metadata: replyMetadata(options.key) } : {}) }));
  }

  async publishHome(userId: string, view: Record<string, unknown>): Promise<void> {
    await this.#call("views.publish", (c) => c.views.publish({ user_id: userId, view: view as never }));
  }

  async #findStream(channel: string, threadTs: string, after: string): Promise<PostedMessage | undefined> {
    this.#botId ??= this.#call("auth.test", (c) => c.auth.test()).then(
      (r) => r.bot_id,
      (err: unknown) => {
        this.#botId = undefined; // ask again next time rather than remember a failure
        throw err;
      },
    );
    const botId = await this.#botId;
    for (const delayMs of this.#deps.lookBackDelaysMs) {
      await this.#deps.sleep(delayMs);
      const found = await findMessage(this.#call, { channel, threadTs, oldest: after }, (m) => m.ts !== after && m.botId === botId && m.key === undefined);
      if (found) return { channel, ts: found.ts };
    }
    return undefined;
  }
}

/**
 * The last guard before Slack: nothing Piper posts pings a person or a group, whatever a handler, a
 * model or an echoed message put in it. Every `text` in the blocks too; button values are left alone.
 */
function defused(body: MessageBody): MessageBody {
  return body.blocks ? { text: defuseMentions(body.text), blocks: body.blocks.map((b) => defuseBlockText(b)) as unknown[] } : { text: defuseMentions(body.text) };
}

function defuseBlockText(node: unknown, key?: string): unknown {
  if (typeof node === "string") return key === "text" ? defuseMentions(node) : node;
  if (Array.isArray(node)) return node.map((n) => defuseBlockText(n, key));
  if (node && typeof node === "object") return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, defuseBlockText(v, k)]));
  return node;
}
