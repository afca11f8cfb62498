// After the ack: puts an Inbound on the work queue, answers it once, and remembers the exchange.
import type { Logger } from "../logger.js";
import type { Router } from "../routing/router.js";
import type { ConversationLog } from "./conversation-log.js";
import { conversationKey, type Inbound } from "./inbound.js";
import type { SlackPoster } from "./poster.js";
import type { ThreadResponder } from "./responder.js";
import type { ThreadMemory } from "./thread-memory.js";
import { QueueFullError, type ThreadOrderedQueue } from "./work-queue.js";
import type { ThreadContext } from "./thread-context.js";
import type { ClaimEvent } from "./listeners/claim-events.js";

export interface IntakeDeps {
  queue: ThreadOrderedQueue;
  responder: ThreadResponder;
  router: Router;
  memory: ThreadMemory;
  threadContext: ThreadContext;
  poster: SlackPoster;
  conversations: ConversationLog;
  claim: ClaimEvent;
  logger: Logger;
}

export class Intake {
  constructor(private readonly deps: IntakeDeps) {}

  /**
   * Accepts a mention or DM, synchronously, in arrival order: memory and the queue see messages in
   * the order Slack delivered them. Never throws: every accepted event ends in one reply or one
   * logged failure; a redelivered event ends in nothing.
   */
  accept(inbound: Inbound): void {
    const { queue, memory, logger, claim } = this.deps;
    const lane = conversationKey(inbound);
    if (inbound.ts) memory.record(lane, { ts: inbound.ts, user: inbound.user, fromPiper: false, text: inbound.text });
    try {
      queue.enqueue(lane, async () => {
        if (await claim(inbound.territory, inbound.id)) await this.#work(inbound);
      });
    } catch (err) {
      if (!(err instanceof QueueFullError)) throw err;
      logger.warn({ eventId: inbound.id, pending: queue.pending }, "work queue full; telling the user");
      void claim(inbound.territory, inbound.id)
        .then(async (first) => {
          if (first) await this.deps.poster.postMessage(inbound.room.id, inbound.threadTs, { text: err.userMessage });
        })
        .catch((postErr: unknown) => logger.error({ err: postErr, eventId: inbound.id }, "could not post busy reply"));
    }
  }

  async #work(inbound: Inbound): Promise<void> {
    const { responder, router, memory, conversations, threadContext, logger } = this.deps;
    const log = logger.child({ eventId: inbound.id });
    const withHistory: Inbound = { ...inbound, history: await threadContext.history(inbound) };
    let answer;
    try {
      answer = await responder.answer(withHistory, router);
    } catch (err) {
      // Only Slack itself failing gets here (the responder turns every other failure into a reply).
      log.error({ err, room: inbound.room.id }, "could not deliver the answer to Slack");
      return;
    }
    if (answer.ts) memory.record(conversationKey(inbound), { ts: answer.ts, fromPiper: true, text: answer.text });
    await conversations
      .record(inbound, answer.text)
      .catch((err: unknown) => log.warn({ err }, "could not record the conversation turn"));
    log.info({ room: inbound.room.id, source: inbound.source, failed: answer.failed }, "answered");
  }
}
