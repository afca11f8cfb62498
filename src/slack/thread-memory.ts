// Recent messages per thread, as seen through events, so a mention in a thread is answered with
// that thread in mind without spending conversations.replies (1 request/min for non-Marketplace apps).

export interface SeenMessage {
  ts: string;
  user?: string;
  /** True for Piper's own messages. */
  fromPiper: boolean;
  text: string;
}

export interface ThreadMemoryOptions {
  /** Threads kept; the least recently touched is forgotten first. */
  maxThreads?: number;
  /** Messages kept per thread (the newest). */
  maxMessagesPerThread?: number;
}

export class ThreadMemory {
  readonly #threads = new Map<string, SeenMessage[]>();
  readonly #maxThreads: number;
  readonly #maxMessages: number;

  constructor(options: ThreadMemoryOptions = {}) {
    this.#maxThreads = options.maxThreads ?? 2_000;
    this.#maxMessages = options.maxMessagesPerThread ?? 30;
  }

  /** `key` names a conversation: see conversationKey() in inbound.ts. */
  record(key: string, message: SeenMessage): void {
    const messages = this.#threads.get(key) ?? [];
    this.#threads.delete(key); // re-insert: Map order doubles as recency order
    if (!messages.some((m) => m.ts === message.ts)) {
      messages.push(message);
      messages.sort((a, b) => Number(a.ts) - Number(b.ts));
      if (messages.length > this.#maxMessages) messages.splice(0, messages.length - this.#maxMessages);
    }
    this.#threads.set(key, messages);
    if (this.#threads.size > this.#maxThreads) {
      const oldest = this.#threads.keys().next().value;
      if (oldest !== undefined) this.#threads.delete(oldest);
    }
  }

  /** Messages seen in the thread, oldest first; `before` excludes the message being answered and later ones. */
  recent(key: string, options: { before?: string; limit?: number } = {}): SeenMessage[] {
    const all = this.#threads.get(key) ?? [];
    const before = options.before;
    const earlier = before === undefined ? all : all.filter((m) => Number(m.ts) < Number(before));
    return earlier.slice(-(options.limit ?? this.#maxMessages));
  }

  has(key: string): boolean {
    return this.#threads.has(key);
  }
}
