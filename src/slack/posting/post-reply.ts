// Posts an answer into its thread, handling the refusals that have a better answer than an error.
import type { Logger } from "../../logger.js";
import { splitText } from "../format.js";
import { SlackRefusedError } from "./errors.js";
import type { PostedMessage } from "./find-message.js";
import { tellNotInChannel, type DeliveredReply, type ReplyTarget } from "./not-in-channel.js";
import { postOnce, type MessageBody, type PostOnceDeps } from "./post-once.js";

/** Slack refuses chat.postMessage text longer than this with msg_too_long. */
export const MESSAGE_TEXT_LIMIT = 40_000;

export type PostReplyDeps = PostOnceDeps & { botName: string };

/**
 * - msg_too_long → the text split into several messages, in order, in the same thread
 * - invalid_blocks → once more as text only
 * - not_in_channel / channel_not_found → the asker is told how to invite Piper (not_in_channel.ts)
 * Every handled refusal is logged; any other becomes SlackRefusedError.
 */
export async function postReply(deps: PostReplyDeps, target: ReplyTarget, body: MessageBody, key: string): Promise<DeliveredReply> {
  try {
    const posted = await postOnce(deps, { channel: target.channel, threadTs: target.threadTs, body, key });
    return { delivery: "posted", messages: [posted] };
  } catch (err) {
    return await handleRefusal(deps, err, target, body, key);
  }
}

/** What to do when Slack refused `body` (for a new post or an update): retry in a shape Slack accepts, or tell the asker. */
export async function handleRefusal(deps: PostReplyDeps, err: unknown, target: ReplyTarget, body: MessageBody, key: string): Promise<DeliveredReply> {
  if (!(err instanceof SlackRefusedError)) throw err;
  const log: Logger = deps.logger.child({ channel: target.channel, threadTs: target.threadTs, key, slackError: err.slackError });
  switch (err.slackError) {
    case "invalid_blocks":
      if (!body.blocks) break;
      log.warn({ blocks: body.blocks.length }, "slack refused the blocks (invalid_blocks); posting the text alone");
      return postReply(deps, target, { text: body.text }, key);
    case "msg_too_long": {
      const parts = splitText(body.text, MESSAGE_TEXT_LIMIT);
      if (parts.length < 2) break;
      log.warn({ length: body.text.length, parts: parts.length }, "slack refused a long message (msg_too_long); posting it in parts");
      return { delivery: "posted", messages: await postParts(deps, target, parts, key) };
    }
    case "not_in_channel":
    case "channel_not_found":
      log.warn(`slack refused the reply (${err.slackError}): Piper is not in the channel; telling the asker how to invite it`);
      return tellNotInChannel(deps, target, key);
  }
  log.warn({ err }, `slack refused the reply (${err.slackError})`);
  throw err;
}

async function postParts(deps: PostReplyDeps, target: ReplyTarget, parts: string[], key: string): Promise<PostedMessage[]> {
  const posted: PostedMessage[] = [];
  // One key per part, so a retried part is found without mistaking an earlier part for it.
  for (const [i, text] of parts.entries()) posted.push(await postOnce(deps, { channel: target.channel, threadTs: target.threadTs, body: { text }, key: i === 0 ? key : `${key}#${i + 1}` }));
  return posted;
}
