// Puts the answer into an existing message (the placeholder); posts it only when that message is gone.
import { lazyChild, type Logger } from "../../logger.js";
import type { SlackCall } from "./caller.js";
import { SlackRefusedError, SlackWriteUnconfirmedError } from "./errors.js";
import { readMessage, type PostedMessage } from "./find-message.js";
import type { DeliveredReply, ReplyTarget } from "./not-in-channel.js";
import { outcomeOf, slackErrorOf } from "./outcome.js";
import type { MessageBody } from "./post-once.js";
import { handleRefusal, postReply, type PostReplyDeps } from "./post-reply.js";
import { replyMetadata } from "./reply-key.js";

/** Refusals that mean the message to update is no longer there to update. */
const GONE = new Set(["message_not_found", "cant_update_message", "thread_not_found"]);

/** chat.update with the reply key in the metadata, so a read-back can tell whether the update landed. */
export async function updateMessage(call: SlackCall, message: PostedMessage, body: MessageBody, key?: string): Promise<void> {
  try {
    await call("chat.update", (c) =>
      c.chat.update({ channel: message.channel, ts: message.ts, text: body.text, blocks: (body.blocks ?? []) as never, ...(key ? { metadata: replyMetadata(key) } : {}) }),
    );
  } catch (err) {
    throw outcomeOf(err) === "refused" ? new SlackRefusedError("chat.update", slackErrorOf(err), { cause: err }) : err;
  }
}

/**
 * Updating is idempotent (the same text twice is one answer), posting is not. So after an update
 * with an unknown outcome the message is read back: updated already → done; still there → updated
 * once more; gone → the answer is posted. Never both an updated placeholder and a new post.
 */
export async function updateOrPost(deps: PostReplyDeps, existing: PostedMessage, target: ReplyTarget, body: MessageBody, key: string): Promise<DeliveredReply> {
  const log: Logger = lazyChild(deps.logger, { channel: existing.channel, ts: existing.ts, key });
  const updated: DeliveredReply = { delivery: "updated", messages: [existing] };
  try {
    await updateMessage(deps.call, existing, body, key);
    return updated;
  } catch (err) {
    const outcome = outcomeOf(err);
    if (err instanceof SlackRefusedError && GONE.has(err.slackError)) {
      log.warn({ slackError: err.slackError }, `the message to update is gone (${err.slackError}); posting the answer instead`);
      return postReply(deps, target, body, key);
    }
    if (outcome === "refused") return handleUpdateRefusal(deps, err, existing, target, body, key);
    if (outcome !== "unknown") throw err;
    log.warn({ err }, "chat.update outcome unknown; reading the message back");
  }
  const seen = await readMessage(deps.call, { ...existing, threadTs: target.threadTs }).catch((err: unknown) => {
    throw new SlackWriteUnconfirmedError("chat.update", { cause: err });
  });
  if (!seen) {
    log.warn("the message to update is gone; posting the answer instead");
    return postReply(deps, target, body, key);
  }
  // The key says an answer for this request landed (a finished stream carries it too); the text, that it is this one.
  // A false "differs" only costs one more idempotent update.
  if (seen.key === key && seen.text === body.text) return updated;
  await updateMessage(deps.call, existing, body, key).catch((err: unknown) => {
    throw outcomeOf(err) === "unknown" ? new SlackWriteUnconfirmedError("chat.update", { cause: err }) : err;
  });
  return updated;
}

/** A refused update: text-only or split answers still land in the existing message first. */
async function handleUpdateRefusal(deps: PostReplyDeps, err: unknown, existing: PostedMessage, target: ReplyTarget, body: MessageBody, key: string): Promise<DeliveredReply> {
  const slackError = (err as SlackRefusedError).slackError;
  if (slackError === "invalid_blocks" && body.blocks) {
    deps.logger.warn({ key, slackError }, "slack refused the blocks (invalid_blocks); updating with the text alone");
    return updateOrPost(deps, existing, target, { text: body.text }, key);
  }
  if (slackError === "msg_too_long") {
    // The placeholder becomes a pointer to the parts, so the thread still reads as one answer.
    const reply = await handleRefusal(deps, err, target, body, key);
    await updateMessage(deps.call, existing, { text: "_The answer is in the messages below._" }, `${key}:placeholder`).catch(() => undefined);
    return reply;
  }
  return handleRefusal(deps, err, target, body, key);
}
