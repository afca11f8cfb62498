// After the ack: records each request durably, answers it once in its thread's order, and remembers the exchange.
import { lazyChild, type Logger } from "../logger.js";
import type { Router } from "../routing/router.js";
import { AcceptedEvents, type AcceptOutcome, type RecoveredRequest } from "./accepted-events.js";
import type { ConversationLog } from "./conversation-log.js";
import { conversationKey, type Inbound } from "./inbound.js";
import { ShuttingDown, type Answer, type ThreadResponder } from "./responder.js";
import type { ThreadMemory } from "./thread-memory.js";
import { QueueFullError, type Slot, type ThreadOrderedQueue } from "./work-queue.js";
import type { ThreadContext } from "./thread-context.js";
import type { RespondToUrl, ResponseType } from "./respond-url.js";

/** What a recovering worker learns from the thread before it answers a request again. */
export interface EarlierAnswer {
  /** Piper's final answer is already there: nothing to do. */
  answered: boolean;
  /** Piper's "Working on it…" placeholder, to be replaced rather than followed by a second message. */
  placeholder?: { channel: string; ts: string };
}

export interface IntakeDeps {
  queue: ThreadOrderedQueue;
  responder: ThreadResponder;
  router: Router;
  memory: ThreadMemory;
  threadContext: ThreadContext;
  conversations: ConversationLog;
  accepted: AcceptedEvents;
  /** Looks in the thread for what Piper already posted for a request (recovery only). */
  findEarlierAnswer: (inbound: Inbound, key: string) => Promise<EarlierAnswer>;
  /** Posts one apology for a request too old to answer after a restart. */
  apologise: (inbound: Inbound, placeholder: EarlierAnswer["placeholder"]) => Promise<void>;
  /** A recovered request older than this gets an apology instead of a late answer. */
  staleAfterMs: number;
  /** Answers a slash command through its response_url (recovery has no Bolt `respond`). */
  respondToUrl: RespondToUrl;
  logger: Logger;
  now?: () => number;
}

/** How many request ids a process remembers for in-process duplicates (most of a minute at 200 requests/s). */
const RECENT_REQUESTS = 10_000;

export class Intake {
  readonly #now: () => number;
  readonly #seen = new Map<string, Promise<AcceptOutcome>>();

  constructor(private readonly deps: IntakeDeps) {
    this.#now = deps.now ?? Date.now;
  }

  /**
   * Accepts a mention or DM. Synchronously, in arrival order, it records the message in memory and
   * takes its place in the thread's lane; the returned promise resolves once the request is recorded
   * durably — the listener awaits it, so Slack's ack means "Piper will answer this, even after a crash".
   * Never rejects: every accepted event ends in one reply or one logged failure; a redelivery in nothing.
   *
   * A first delivery is answered while it is being recorded: it can't have been answered before, and
   * Slack gets no ack (so it retries) until the record is in. A redelivery (`redelivered`: Slack's
   * retry headers) waits for the record, which tells whether an earlier delivery got there first.
   */
  accept(inbound: Inbound, delivery: { redelivered?: boolean } = {}): Promise<void> {
    const { queue, memory, accepted, logger } = this.deps;
    const id = AcceptedEvents.jobId(inbound);
    const earlier = this.#seen.get(id);
    if (earlier) {
      // Delivered to this process again while the first is still fresh: the first one answers it.
      this.#skipDuplicate(inbound);
      return earlier.then(() => undefined);
    }
    const lane = conversationKey(inbound);
    if (inbound.ts) memory.record(lane, { ts: inbound.ts, user: inbound.user, fromPiper: false, text: inbound.text });
    const outcome = accepted.accept(inbound, {}, id);
    this.#remember(id, outcome);
    try {
      queue.enqueue(lane, async (slot) => {
        if (!delivery.redelivered) return this.#answerNow(inbound, id, outcome, slot);
        const o = await outcome;
        if (o === "duplicate") return this.#skipDuplicate(inbound);
        // Recorded only now: an earlier delivery may have been answered by a process that died
        // before its record was in (it answers while recording), so look before answering again.
        const found: EarlierAnswer = o === "recorded" ? await this.#lookInThread(inbound, logger) : { answered: false };
        if (found.answered) {
          logger.info({ eventId: inbound.id }, "redelivered request was already answered");
          accepted.settle(id);
          return;
        }
        await this.#answerNow(inbound, id, outcome, slot, found.placeholder);
      });
    } catch (err) {
      if (!(err instanceof QueueFullError)) throw err;
      // Overloaded: starting more work here is what makes it worse. The request is recorded; the
      // durable worker answers it (here or on another instance) as soon as there is room.
      logger.warn({ eventId: inbound.id, pending: queue.pending }, "work queue full; leaving the request to the durable backlog");
      void outcome.then(async (o) => {
        if (o === "recorded") {
          await accepted.handOver([id], { untouched: true });
          accepted.wakeWorker();
        } else if (o === "unrecorded") logger.error({ eventId: inbound.id }, "work queue full and the database refused the request: it cannot be answered");
      });
    }
    return outcome.then(() => undefined);
  }

  /** Request ids this process accepted lately, so a redelivery racing the first delivery here is skipped at once. */
  #remember(id: string, outcome: Promise<AcceptOutcome>): void {
    this.#seen.set(id, outcome);
    // Oldest first: Slack retries within minutes, and the durable record still catches a forgotten id.
    if (this.#seen.size > RECENT_REQUESTS) this.#seen.delete(this.#seen.keys().next().value!);
  }

  /**
   * Accepts a slash command (already parsed, to be answered through its response_url): recorded
   * durably before the ack like a mention, answered in order per channel and person.
   */
  acceptCommand(inbound: Inbound, response: { url: string; type: ResponseType }): Promise<void> {
    const { queue, accepted, logger, responder, router } = this.deps;
    const id = AcceptedEvents.jobId(inbound);
    const outcome = accepted.accept(inbound, { responseUrl: response.url, responseType: response.type }, id);
    const log = lazyChild(logger, { eventId: inbound.id });
    try {
      queue.enqueue(`slash:${inbound.room.id}:${inbound.user}`, async (slot) => {
        const o = await outcome;
        if (o === "duplicate") return this.#skipDuplicate(inbound);
        let answer: Answer;
        try {
          answer = await responder.compute(inbound, router);
        } catch (err) {
          if (!(err instanceof ShuttingDown)) throw err;
          if (o === "recorded") await accepted.handOver([id], { untouched: true });
          return;
        }
        slot.release();
        try {
          await this.deps.respondToUrl(response.url, response.type, answer.text);
          if (o === "recorded") accepted.settle(id);
        } catch (err) {
          log.error({ err }, "could not answer a slash command through response_url; a worker will retry it");
          accepted.release(id);
        }
      });
    } catch (err) {
      if (!(err instanceof QueueFullError)) throw err;
      log.warn({ pending: queue.pending }, "work queue full; leaving the command to the durable backlog");
      void outcome.then(async (o) => {
        if (o !== "recorded") return;
        await accepted.handOver([id], { untouched: true });
        accepted.wakeWorker();
      });
    }
    return outcome.then(() => undefined);
  }

  /** Answers a request whose lease ran out (its process died or gave it up), once. */
  async recover(job: RecoveredRequest): Promise<void> {
    const { request, id } = job;
    const inbound: Inbound = { ...request.inbound, history: [] };
    const log = this.deps.logger.child({ eventId: inbound.id, jobId: id, attempt: job.attempt });
    if (this.deps.accepted.isInFlight(id)) {
      // This process is still on it (its lease renewal lagged): the in-process answer will settle it.
      log.info("recovered request is still being answered here; leaving it");
      return;
    }
    if (request.responseUrl) return this.#recoverCommand(job, inbound, request.responseUrl, request.responseType ?? "ephemeral", log);
    const earlier = await this.#earlierAnswer(job, inbound, log);
    if (earlier.answered) {
      log.info("recovered request was already answered");
      return;
    }
    if (this.#now() - request.receivedAt > this.deps.staleAfterMs) {
      log.warn({ ageMs: this.#now() - request.receivedAt }, "recovered request is too old to answer; apologising");
      await this.deps.apologise(inbound, earlier.placeholder);
      return;
    }
    log.info("answering a recovered request");
    const answer = await this.deps.responder.answer(inbound, this.deps.router, {
      history: () => this.deps.threadContext.history(inbound),
      existing: earlier.placeholder,
    });
    await this.#rememberExchange(inbound, answer, log);
  }

  /**
   * A command's answer goes to its response_url, which Slack keeps for 30 minutes; Piper can't read
   * back what it sent there, so a command answered just before a crash may be answered twice
   * (ephemerally, to the one person who asked) — the lesser harm than silence.
   */
  async #recoverCommand(job: RecoveredRequest, inbound: Inbound, url: string, type: ResponseType, log: Logger): Promise<void> {
    const age = this.#now() - job.request.receivedAt;
    if (age > Math.min(this.deps.staleAfterMs, 29 * 60_000)) {
      log.warn({ ageMs: age }, "recovered command is too old to answer");
      if (age < 30 * 60_000) await this.deps.respondToUrl(url, "ephemeral", APOLOGY);
      return;
    }
    const answer = await this.deps.responder.compute(inbound, this.deps.router);
    await this.deps.respondToUrl(url, type, answer.text);
    log.info("answered a recovered command");
  }

  /**
   * What Piper may already have posted. Reading the thread costs a rate-limited call (for
   * non-Marketplace apps conversations.replies allows about one a minute), so it is done only when
   * the record cannot tell: never for untouched requests, and not when the placeholder is known
   * (chat.update into it is idempotent). If the thread can't be read, answering beats silence.
   */
  async #earlierAnswer(job: RecoveredRequest, inbound: Inbound, log: Logger): Promise<EarlierAnswer> {
    const { request } = job;
    if (request.untouched && job.attempt === 0) return { answered: false };
    if (request.placeholder) return { answered: false, placeholder: request.placeholder };
    return this.#lookInThread(inbound, log);
  }

  async #lookInThread(inbound: Inbound, log: Logger): Promise<EarlierAnswer> {
    try {
      return await this.deps.findEarlierAnswer(inbound, inbound.id);
    } catch (err) {
      log.warn({ err }, "could not read the thread to check for an earlier answer; answering (it may be a second answer)");
      return { answered: false };
    }
  }

  /**
   * Answers in-process. `outcome` may still be pending (a first delivery is answered while it is
   * recorded): whatever touches the durable job waits for it.
   */
  async #answerNow(inbound: Inbound, id: string, outcome: Promise<AcceptOutcome>, slot: Slot, existing?: EarlierAnswer["placeholder"]): Promise<void> {
    const { responder, router, threadContext, accepted } = this.deps;
    const log = lazyChild(this.deps.logger, { eventId: inbound.id });
    let answer: Answer;
    try {
      answer = await responder.answer(inbound, router, {
        slot,
        existing,
        history: () => threadContext.history(inbound),
        onPlaceholder: (p) => void outcome.then((o) => (o === "recorded" ? accepted.notePlaceholder(id, p) : undefined)),
      });
    } catch (err) {
      const o = await outcome;
      if (err instanceof ShuttingDown) {
        log.info("shutting down before answering; left for recovery");
        if (o === "recorded") await accepted.handOver([id], { untouched: err.untouched });
        return;
      }
      // Only Slack itself failing gets here (the responder turns every other failure into a reply).
      // The lease is not renewed any more: when it runs out, a worker tries again.
      log.error({ err, room: inbound.room.id }, "could not deliver the answer to Slack; a worker will retry it");
      accepted.release(id);
      return;
    }
    const o = await outcome;
    if (o === "recorded") accepted.settle(id);
    // Slack marks its redeliveries, and an unmarked one would be a Slack bug; say so if it happens.
    else if (o === "duplicate") log.warn("answered a delivery that was recorded before without retry headers; it may have a second answer");
    await this.#rememberExchange(inbound, answer, log);
  }

  async #rememberExchange(inbound: Inbound, answer: Answer, log: Logger): Promise<void> {
    if (answer.ts) this.deps.memory.record(conversationKey(inbound), { ts: answer.ts, fromPiper: true, text: answer.text });
    // Not awaited: the thread's memory already holds the exchange; the log is written in batches.
    void this.deps.conversations.record(inbound, answer.text, answer.intent).catch(() => undefined);
    log.info({ room: inbound.room.id, source: inbound.source, failed: answer.failed }, "answered");
  }

  #skipDuplicate(inbound: Inbound): void {
    // Bolt already acked; skipping here is what stops a retry from becoming a second reply.
    this.deps.logger.info({ eventId: inbound.id, teamId: inbound.territory }, "duplicate delivery skipped");
  }
}

export const APOLOGY =
  "Sorry — I was restarted while working on this, and by the time I was back it had been too long to answer usefully. Please ask me again.";
