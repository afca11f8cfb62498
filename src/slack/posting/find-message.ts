// Reads a thread (or a channel's top level) back to find one of Piper's own messages: by key, or by position.
import type { SlackCall } from "./caller.js";
import { keyOf } from "./reply-key.js";

export interface PostedMessage {
  channel: string;
  ts: string;
}

export interface SeenMessage extends PostedMessage {
  text: string;
  botId?: string;
  key?: string;
}

export interface Where {
  channel: string;
  /** Look in this thread; without it, in the channel's top level. */
  threadTs?: string;
  /** Only messages at or after this Slack timestamp (keeps long threads to one page). */
  oldest?: string;
}

const MAX_PAGES = 5;

interface RawMessage {
  ts?: string;
  text?: string;
  bot_id?: string;
  metadata?: { event_type?: string; event_payload?: unknown };
}

/** The first message (oldest first in threads, newest first at top level) that `match` accepts. */
export async function findMessage(call: SlackCall, where: Where, match: (m: SeenMessage) => boolean): Promise<SeenMessage | undefined> {
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const common = { channel: where.channel, include_all_metadata: true, ...(where.oldest ? { oldest: where.oldest, inclusive: true } : {}), ...(cursor ? { cursor } : {}) };
    const result = where.threadTs
      ? await call("conversations.replies", (c) => c.conversations.replies({ ...common, ts: where.threadTs!, limit: 200 }))
      : await call("conversations.history", (c) => c.conversations.history({ ...common, limit: 100 }));
    for (const raw of (result.messages ?? []) as RawMessage[]) {
      if (!raw.ts) continue;
      const seen: SeenMessage = { channel: where.channel, ts: raw.ts, text: raw.text ?? "", botId: raw.bot_id, key: keyOf(raw) };
      if (match(seen)) return seen;
    }
    cursor = result.response_metadata?.next_cursor || undefined;
    if (!cursor) return undefined;
  }
  return undefined;
}

/** A message by its ts, or undefined when it is gone (deleted, or its thread is). */
export async function readMessage(call: SlackCall, message: PostedMessage & { threadTs?: string }): Promise<SeenMessage | undefined> {
  try {
    const where = message.threadTs && message.threadTs !== message.ts
      ? { channel: message.channel, threadTs: message.threadTs, oldest: message.ts }
      : { channel: message.channel, threadTs: message.ts };
    return await findMessage(call, where, (m) => m.ts === message.ts);
  } catch (err) {
    if ((err as { data?: { error?: string } }).data?.error === "thread_not_found") return undefined;
    throw err;
  }
}

/** A Slack timestamp for a moment on this machine, pulled back by `marginSeconds` for clock skew. */
export function slackTsAt(epochMs: number, marginSeconds: number): string {
  return (epochMs / 1000 - marginSeconds).toFixed(6);
}
