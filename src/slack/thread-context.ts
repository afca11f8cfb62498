// What came before in a thread: from the events Piper has seen, and from the API only to fill a gap.
import type { Logger } from "../logger.js";
import { conversationKey, type Inbound } from "./inbound.js";
import { SlackRateLimitedError, type SlackPoster } from "./poster.js";
import type { SeenMessage, ThreadMemory } from "./thread-memory.js";

export const HISTORY_LIMIT = 12;
/** Slack's cap on conversations.replies for apps outside the Marketplace: 15 messages a call… */
const REPLIES_PAGE = 15;
/** …and about one call a minute. */
const REPLIES_INTERVAL_MS = 60_000;
/** Threads whose read stopped at a page boundary, remembered so a later summary reads on from there. */
const MAX_PARTIAL = 2_000;

/** A whole thread as far as Piper could read it (for summaries), and whether that is all of it. */
export interface ThreadRead {
  /** People's and Piper's messages before the request, oldest first. */
  messages: SeenMessage[];
  /** True when the thread's first message and everything after it (up to the request) are here. */
  complete: boolean;
  /** The thread's length as Slack counts it (its first message and replies), when Slack said. */
  total?: number;
  /** Why a gap was left: Slack's once-a-minute limit on reading threads, or the read failed. */
  gap?: "rate-limited" | "failed";
}

export interface ThreadContextOptions {
  now?: () => number;
  /** Least time between two conversations.replies calls per workspace. */
  repliesIntervalMs?: number;
}

export class ThreadContext {
  /** When each workspace last spent its conversations.replies call. */
  readonly #lastRepliesAt = new Map<string, number>();
  /** Threads read only up to a page's last message (Slack said there was more), by conversation key. */
  readonly #partial = new Map<string, { lastTs: string; total?: number }>();
  readonly #now: () => number;
  readonly #interval: number;

  constructor(
    private readonly memory: ThreadMemory,
    private readonly poster: SlackPoster,
    private readonly botUserId: string,
    private readonly logger: Logger,
    options: ThreadContextOptions = {},
  ) {
    this.#now = options.now ?? Date.now;
    this.#interval = options.repliesIntervalMs ?? REPLIES_INTERVAL_MS;
  }

  async history(inbound: Inbound): Promise<SeenMessage[]> {
    const key = conversationKey(inbound);
    const seen = this.memory.recent(key, { before: inbound.ts, limit: HISTORY_LIMIT });
    // A mention in a thread that started before Piper saw it: one conversations.replies call
    // (rate-limited hard for non-Marketplace apps), and only then.
    const threadTs = inbound.threadTs;
    const isReplyInThread = threadTs !== undefined && inbound.ts !== undefined && inbound.ts !== threadTs;
    if (seen.length > 0 || !isReplyInThread) return seen;
    try {
      await this.#replies(inbound, threadTs);
    } catch (err) {
      this.logger.info({ err, eventId: inbound.id }, "could not fetch earlier thread messages; answering without them");
    }
    return this.memory.recent(key, { before: inbound.ts, limit: HISTORY_LIMIT });
  }

  /**
   * The thread before `inbound`, for a summary: what Piper saw first; one conversations.replies call
   * only when that misses the thread's start, and not when this workspace spent its call in the last
   * minute (the gap is then said, not waited out).
   */
  async thread(inbound: Inbound): Promise<ThreadRead> {
    const threadTs = inbound.threadTs;
    if (threadTs === undefined || inbound.ts === undefined || inbound.ts === threadTs) return { messages: [], complete: true };
    const key = conversationKey(inbound);
    const seen = this.memory.recent(key, { before: inbound.ts });
    const partial = this.#partial.get(key);
    // Memory holds every message since the first one Piper saw, so starting at the root it is the whole thread —
    // unless the root came from a page of history that stopped short.
    const hasRoot = seen[0]?.ts === threadTs;
    if (hasRoot && !partial) return { messages: seen, complete: true };
    const total = partial?.total;
    const last = this.#lastRepliesAt.get(inbound.territory);
    if (last !== undefined && this.#now() - last < this.#interval) return { messages: seen, complete: false, gap: "rate-limited", ...(total !== undefined ? { total } : {}) };
    try {
      // With the start already read, the next page follows the last one read.
      const page = await this.#replies(inbound, threadTs, hasRoot ? partial?.lastTs : undefined);
      const byTs = new Map(seen.map((m) => [m.ts, m]));
      for (const m of page.messages) if (Number(m.ts) < Number(inbound.ts)) byTs.set(m.ts, m);
      const messages = [...byTs.values()].sort((a, b) => Number(a.ts) - Number(b.ts));
      const known = page.total ?? total;
      // Complete when Slack has nothing more, or the page reached the request itself (what follows it isn't wanted).
      const reached = !page.hasMore || (page.lastTs !== undefined && Number(page.lastTs) >= Number(inbound.ts));
      return { messages, complete: messages[0]?.ts === threadTs && reached, ...(known !== undefined ? { total: known } : {}) };
    } catch (err) {
      this.logger.info({ err, eventId: inbound.id }, "could not read the thread; summarizing what I saw");
      return { messages: seen, complete: false, gap: err instanceof SlackRateLimitedError ? "rate-limited" : "failed", ...(total !== undefined ? { total } : {}) };
    }
  }

  /**
   * One conversations.replies page (from the thread's start, or after `after`), recorded in memory; it counts
   * against the workspace's minute, and where it stopped is remembered when Slack has more.
   */
  async #replies(inbound: Inbound, threadTs: string, after?: string): Promise<{ messages: SeenMessage[]; hasMore: boolean; lastTs?: string; total?: number }> {
    this.#lastRepliesAt.set(inbound.territory, this.#now());
    const result = await this.poster.call("conversations.replies", (c) =>
      c.conversations.replies({ channel: inbound.room.id, ts: threadTs, limit: REPLIES_PAGE, ...(after ? { oldest: after, inclusive: false } : {}) }),
    );
    const key = conversationKey(inbound);
    const bot = this.botUserId;
    const messages: SeenMessage[] = [];
    let total: number | undefined;
    for (const m of result.messages ?? []) {
      if (m.ts === threadTs && typeof m.reply_count === "number") total = m.reply_count + 1;
      if (!m.ts || m.ts === inbound.ts) continue;
      const message: SeenMessage = { ts: m.ts, user: m.user, fromPiper: m.user === bot || m.bot_id !== undefined, text: m.text ?? "" };
      this.memory.record(key, message);
      messages.push(message);
    }
    const hasMore = result.has_more === true;
    const lastTs = result.messages?.at(-1)?.ts;
    this.#partial.delete(key);
    if (hasMore && lastTs && Number(lastTs) < Number(inbound.ts ?? Infinity)) {
      this.#partial.set(key, { lastTs, ...(total !== undefined ? { total } : {}) });
      if (this.#partial.size > MAX_PARTIAL) this.#partial.delete(this.#partial.keys().next().value!);
    }
    return { messages, hasMore, ...(lastTs ? { lastTs } : {}), ...(total !== undefined ? { total } : {}) };
  }
}
