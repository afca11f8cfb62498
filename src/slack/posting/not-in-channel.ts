// When Piper cannot write in a channel: tells the asker how to invite it — ephemerally there, else in a DM.
import type { Logger } from "../../logger.js";
import type { SlackCall } from "./caller.js";
import type { PostedMessage } from "./find-message.js";
import { outcomeOf } from "./outcome.js";
import { postOnce, type PostOnceDeps } from "./post-once.js";

export interface ReplyTarget {
  channel: string;
  /** The thread to answer in; absent for a top-level answer (a DM). */
  threadTs?: string;
  /** Who asked: the person told how to invite Piper when it cannot write in `channel`. */
  user: string;
}

/** How a reply reached Slack: posted (new messages), updated (an existing one), or a hint to the asker only. */
export type Delivery = "posted" | "updated" | "ephemeral" | "dm";

export interface DeliveredReply {
  delivery: Delivery;
  /** The messages that carry the reply, in order (none for an ephemeral hint: Slack gives it no lasting ts). */
  messages: PostedMessage[];
}

export function inviteHint(channel: string, botName: string): string {
  return `I'm not in <#${channel}> yet — type \`/invite @${botName}\` there and ask again.`;
}

export async function tellNotInChannel(deps: PostOnceDeps & { call: SlackCall; logger: Logger; botName: string }, target: ReplyTarget, key: string): Promise<DeliveredReply> {
  const text = inviteHint(target.channel, deps.botName);
  try {
    await deps.call("chat.postEphemeral", (c) =>
      c.chat.postEphemeral({ channel: target.channel, user: target.user, text, ...(target.threadTs ? { thread_ts: target.threadTs } : {}) }),
    );
    return { delivery: "ephemeral", messages: [] };
  } catch (err) {
    // Usually refused for the same reason the reply was; an open breaker means Slack is not reachable at all.
    if (outcomeOf(err) === "not-sent") throw err;
    deps.logger.warn({ err, channel: target.channel, user: target.user }, "could not tell the asker ephemerally; sending a DM");
  }
  const dm = await deps.call("conversations.open", (c) => c.conversations.open({ users: target.user }));
  const posted = await postOnce(deps, { channel: String(dm.channel?.id), body: { text }, key: `${key}:invite` });
  return { delivery: "dm", messages: [posted] };
}
