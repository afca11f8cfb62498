// What came before in a thread: from the events Piper has seen, and from the API only to fill a gap.
import type { Logger } from "../logger.js";
import { conversationKey, type Inbound } from "./inbound.js";
import type { SlackPoster } from "./poster.js";
import type { SeenMessage, ThreadMemory } from "./thread-memory.js";

const HISTORY_LIMIT = 12;

export class ThreadContext {
  constructor(
    private readonly memory: ThreadMemory,
    private readonly poster: SlackPoster,
    private readonly botUserId: string,
    private readonly logger: Logger,
  ) {}

  async history(inbound: Inbound): Promise<SeenMessage[]> {
    const key = conversationKey(inbound);
    const seen = this.memory.recent(key, { before: inbound.ts, limit: HISTORY_LIMIT });
    // A mention in a thread that started before Piper saw it: one conversations.replies call
    // (rate-limited hard for non-Marketplace apps), and only then.
    const threadTs = inbound.threadTs;
    const isReplyInThread = threadTs !== undefined && inbound.ts !== undefined && inbound.ts !== threadTs;
    if (seen.length > 0 || !isReplyInThread) return seen;
    try {
      const result = await this.poster.call("conversations.replies", (c) =>
        c.conversations.replies({ channel: inbound.room.id, ts: threadTs, limit: 15 }),
      );
      const bot = this.botUserId;
      for (const m of result.messages ?? []) {
        if (!m.ts || m.ts === inbound.ts) continue;
        this.memory.record(key, {
          ts: m.ts,
          user: m.user,
          fromPiper: m.user === bot || m.bot_id !== undefined,
          text: m.text ?? "",
        });
      }
    } catch (err) {
      this.logger.info({ err, eventId: inbound.id }, "could not fetch earlier thread messages; answering without them");
    }
    return this.memory.recent(key, { before: inbound.ts, limit: HISTORY_LIMIT });
  }
}
