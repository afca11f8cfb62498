// Creates a message at most once: a post with an unknown outcome is looked for by its key before it is sent again.
import type { ChatPostMessageArguments } from "@slack/web-api";
import { lazyChild, type Logger } from "../../logger.js";
import type { ChannelPacer } from "../pacer.js";
import type { SlackCall } from "./caller.js";
import { SlackRefusedError, SlackWriteUnconfirmedError } from "./errors.js";
import { findMessage, slackTsAt, type PostedMessage } from "./find-message.js";
import type { Sleep } from "./layers.js";
import { outcomeOf, slackErrorOf } from "./outcome.js";
import { replyMetadata } from "./reply-key.js";

export interface MessageBody {
  text: string;
  blocks?: unknown[];
}

export interface PostOnceDeps {
  call: SlackCall;
  pacer: ChannelPacer;
  logger: Logger;
  /**
   * Waits before each look for a post whose outcome is unknown. A timed-out post may still be
   * landing, so the first look waits a little and a later one waits longer; only when no look
   * finds it is it posted again.
   */
  lookBackDelaysMs: number[];
  sleep: Sleep;
}

export interface PostOnceArgs {
  channel: string;
  threadTs?: string;
  body: MessageBody;
  key: string;
}

/** Slack timestamps come from Slack's clock; look this far before our own start to allow for skew. */
const CLOCK_SKEW_SECONDS = 600;

/**
 * chat.postMessage is not idempotent and Slack has no idempotency key, so the key goes into the
 * message's metadata. After a timeout, 5xx or dropped connection: found → that is the post; not
 * found → post once more; unknown again and still not found → SlackWriteUnconfirmedError.
 * Refusals become SlackRefusedError (nothing was written); 429s and an open breaker pass through.
 */
export async function postOnce(deps: PostOnceDeps, args: PostOnceArgs): Promise<PostedMessage> {
  const { channel, threadTs, body, key } = args;
  const log = lazyChild(deps.logger, { channel, threadTs, key });
  const oldest = slackTsAt(Date.now(), CLOCK_SKEW_SECONDS);
  const request: ChatPostMessageArguments = {
    channel,
    ...(threadTs ? { thread_ts: threadTs } : {}),
    text: body.text,
    ...(body.blocks ? { blocks: body.blocks as never } : {}),
    metadata: replyMetadata(key),
  };
  for (let attempt = 1; ; attempt++) {
    await deps.pacer.wait(channel);
    try {
      const result = await deps.call("chat.postMessage", (c) => c.chat.postMessage(request));
      return { channel: String(result.channel ?? channel), ts: String(result.ts) };
    } catch (err) {
      const outcome = outcomeOf(err);
      if (outcome === "refused") throw new SlackRefusedError("chat.postMessage", slackErrorOf(err), { cause: err });
      if (outcome !== "unknown") throw err;
      log.warn({ err, attempt }, "chat.postMessage outcome unknown; looking for it before posting again");
      const found = await lookFor(deps, { channel, threadTs, oldest }, key, err);
      if (found) {
        log.info({ ts: found.ts, attempt }, "found the post Slack did not confirm; not posting again");
        return found;
      }
      if (attempt >= 2) throw new SlackWriteUnconfirmedError("chat.postMessage", { cause: err });
      log.info({ attempt }, "the post is not in Slack; posting once more");
    }
  }
}

async function lookFor(deps: PostOnceDeps, where: { channel: string; threadTs?: string; oldest: string }, key: string, cause: unknown): Promise<PostedMessage | undefined> {
  for (const delayMs of deps.lookBackDelaysMs) {
    await deps.sleep(delayMs);
    try {
      const found = await findMessage(deps.call, where, (m) => m.key === key);
      if (found) return { channel: found.channel, ts: found.ts };
    } catch (err) {
      // Without a read we cannot know, and posting anyway risks the duplicate this exists to prevent.
      deps.logger.warn({ err, key }, "could not read Slack back to confirm a post");
      throw new SlackWriteUnconfirmedError("chat.postMessage", { cause });
    }
  }
  return undefined;
}
