// Turns one Inbound into exactly one message in its thread: progress while working, then the answer or a clear error.
import { randomBytes } from "node:crypto";
import { lazyChild, type Logger } from "../logger.js";
import { isPiperError, PiperError } from "../errors.js";
import type { Intent } from "../routing/intent.js";
import type { Progress, Router, RouterResult } from "../routing/router.js";
import type { Inbound } from "./inbound.js";
import type { SeenMessage } from "./thread-memory.js";
import type { Slot } from "./work-queue.js";
import type { PostedMessage, SlackPoster } from "./poster.js";
import { BLOCK_LIMIT, fallbackText, markdownToMrkdwn, toSections } from "./format.js";
import { feedbackBlock } from "./feedback.js";
import { StreamWriter } from "./stream-writer.js";
import { progressKey } from "./earlier-answers.js";

export interface ResponderOptions {
  poster: SlackPoster;
  logger: Logger;
  /** Work slower than this gets a placeholder message (and a status in DMs) that the answer replaces. */
  progressAfterMs?: number;
  /** Assistant statuses expire after 2 minutes; refresh before that. */
  statusRefreshMs?: number;
  /** Slack streams end after about 5 minutes; switch to chat.update before that. */
  streamMaxMs?: number;
  /** A request still working after this is cancelled (its AbortSignal fires) and the user told so. */
  deadlineMs?: number;
  /** Fires when Piper is shutting down: work in progress is cancelled and left to recovery. */
  stopping?: AbortSignal;
}

/** What one request gets beside the router: its queue slot and its thread's history, loaded once progress shows. */
export interface AnswerOptions {
  slot?: Slot;
  history?: () => Promise<SeenMessage[]>;
  /** A placeholder already in the thread (found by recovery): the answer replaces it. */
  existing?: PostedMessage;
  /** Told when a progress placeholder was posted (the durable record keeps it for recovery). */
  onPlaceholder?: (placeholder: PostedMessage) => void;
}

/** The request ran past its deadline; the handler was told to stop through its AbortSignal. */
export class RequestDeadlineExceeded extends PiperError {
  readonly code = "DEADLINE_EXCEEDED";
  readonly userMessage: string;
  constructor(readonly deadlineMs: number) {
    super(`request still running after ${deadlineMs} ms; cancelled`);
    const seconds = Math.round(deadlineMs / 1000);
    this.userMessage = `That was taking longer than I allow myself (${seconds} seconds), so I stopped. Please try again — if it keeps happening, try asking for something smaller.`;
  }
}

/** Piper is shutting down; the request is left for recovery (here after a restart, or on another instance). */
export class ShuttingDown extends PiperError {
  readonly code = "SHUTTING_DOWN";
  readonly userMessage = "I'm restarting — I'll pick this up again in a moment.";
  /** True when the request was refused before any of its work started. */
  readonly untouched: boolean;
  constructor(message: string, options: { untouched?: boolean } = {}) {
    super(message);
    this.untouched = options.untouched ?? false;
  }
}

export interface Answer {
  text: string;
  ts?: string;
  failed: boolean;
  /** What the router understood the message as; stored on the conversation turn. */
  intent?: Intent;
}

/** The progress placeholder a slow answer shows first; the answer replaces it. */
export const WORKING = "_Working on it…_";

export function newErrorId(): string {
  return `E${randomBytes(4).toString("hex").toUpperCase()}`;
}

/**
 * The answer's blocks with Slack's 👍/👎 buttons as the last one. An answer already at Slack's block
 * limit goes without them: the answer matters more than the rating.
 */
function withFeedback(blocks: unknown[], eventId: string, log: Logger): unknown[] {
  if (blocks.length >= BLOCK_LIMIT) {
    log.debug({ blocks: blocks.length }, "answer fills every block; no feedback buttons");
    return blocks;
  }
  return [...blocks, feedbackBlock(eventId)];
}

/**
 * Why work still running for a request stops once it is answered. One object for every request: a new
 * AbortController's abort() builds a DOMException with a stack each time (2 % of the main thread at
 * 200 mentions/s). Named AbortError, as fetch and Piper's error classifiers expect of a caller giving up.
 */
const ANSWERED = new DOMException("the request was answered", "AbortError");

export class ThreadResponder {
  readonly #progressAfterMs: number;
  readonly #statusRefreshMs: number;
  readonly #deadlineMs: number;

  constructor(private readonly options: ResponderOptions) {
    this.#progressAfterMs = options.progressAfterMs ?? 800;
    this.#statusRefreshMs = options.statusRefreshMs ?? 100_000;
    this.#deadlineMs = options.deadlineMs ?? 120_000;
  }

  /**
   * Runs the router under the request's deadline and Piper's shutdown: whichever comes first aborts
   * the handler's signal, and the caller gets a typed error at once even if the handler ignores it.
   */
  async #route(inbound: Inbound, router: Router, progress: Progress, abort: AbortController): Promise<RouterResult> {
    const stopping = this.options.stopping;
    if (stopping?.aborted) throw new ShuttingDown("shutting down");
    let timer: NodeJS.Timeout | undefined;
    let onStop: (() => void) | undefined;
    const cutoff = new Promise<never>((_, reject) => {
      // Reject before aborting: a handler that rejects synchronously on abort must not win the race.
      timer = setTimeout(() => {
        reject(new RequestDeadlineExceeded(this.#deadlineMs));
        abort.abort();
      }, this.#deadlineMs);
      onStop = () => {
        reject(new ShuttingDown("shutting down"));
        abort.abort();
      };
      stopping?.addEventListener("abort", onStop, { once: true });
    });
    try {
      return await Promise.race([router.route(inbound, progress, abort.signal), cutoff]);
    } finally {
      clearTimeout(timer);
      if (onStop) stopping?.removeEventListener("abort", onStop);
    }
  }

  async answer(inbound: Inbound, router: Router, opts: AnswerOptions = {}): Promise<Answer> {
    const { poster } = this.options;
    // Nothing started yet, so nothing can be in Slack: recovery may answer it without looking first.
    if (this.options.stopping?.aborted) throw new ShuttingDown("shutting down", { untouched: true });
    const log = lazyChild(this.options.logger, { eventId: inbound.id });
    const channel = inbound.room.id;
    const abort = new AbortController();
    let placeholder: Promise<PostedMessage | undefined> | undefined = opts.existing ? Promise.resolve(opts.existing) : undefined;
    let lastStatus = "";

    const setStatus = (status: string) => {
      lastStatus = status;
      // Assistant statuses show in DMs (the Messages tab); channels get the placeholder instead.
      if (inbound.room.kind === "dm" && inbound.threadTs) poster.setStatus(channel, inbound.threadTs, status).catch(() => undefined);
    };
    const progressTimer = setTimeout(() => {
      setStatus("is working on it…");
      if (placeholder) return;
      placeholder = poster
        .postMessage(channel, inbound.threadTs, { text: WORKING }, { key: progressKey(inbound.id) })
        .then((posted) => {
          opts.onPlaceholder?.(posted);
          return posted;
        })
        .catch((err: unknown) => {
          log.warn({ err }, "could not post progress placeholder");
          return undefined;
        });
    }, this.#progressAfterMs);
    const statusTimer = setInterval(() => lastStatus && setStatus(lastStatus), this.#statusRefreshMs);
    const progress: Progress = { update: setStatus };

    try {
      let result: RouterResult;
      let failed = false;
      try {
        // History comes after the progress timer started: a slow or rate-limited fetch shows progress too.
        const withHistory = opts.history ? { ...inbound, history: await opts.history() } : inbound;
        result = await this.#route(withHistory, router, progress, abort);
      } catch (err) {
        if (err instanceof ShuttingDown) throw err;
        failed = true;
        result = { kind: "reply", text: this.#errorText(err, router.activity(inbound), log) };
      }
      clearTimeout(progressTimer);
      // Only delivery is left: waiting on Slack's per-channel pacing must not hold a slot another channel needs.
      opts.slot?.release();
      const existing = placeholder ? await placeholder : undefined;
      const intent = result.intent;
      if (result.kind === "stream") {
        // No feedback buttons on streamed answers: chat.stopStream could take the block, but a stream
        // that falls back to chat.update or is cut short would need it added on every path. Later.
        const writer = new StreamWriter({ poster, logger: log, inbound, existing, maxMs: this.options.streamMaxMs });
        try {
          const streamed = await writer.write(result.chunks);
          return { ...streamed, failed, intent };
        } catch (err) {
          // The model failed part-way: the partial answer stays, and one error is added to it.
          await writer.stop();
          const text = `${writer.textSoFar()}\n\n${this.#errorText(err, router.activity(inbound), log)}`.trim();
          const ts = await this.#deliver(inbound, writer.messageTs() ? { channel, ts: writer.messageTs()! } : existing, text);
          return { text, ts, failed: true, intent };
        }
      }
      const blocks = result.feedback ? withFeedback(result.blocks ?? toSections(result.text), inbound.id, log) : result.blocks;
      const ts = await this.#deliver(inbound, existing, result.text, blocks);
      return { text: result.text, ts, failed, intent };
    } finally {
      clearTimeout(progressTimer);
      clearInterval(statusTimer);
      abort.abort(ANSWERED);
    }
  }

  /**
   * Answers without posting (slash commands reply through response_url): the whole text, with
   * streams collected and errors turned into their sentence.
   */
  async compute(inbound: Inbound, router: Router): Promise<Answer> {
    const log = lazyChild(this.options.logger, { eventId: inbound.id });
    const abort = new AbortController();
    try {
      const result = await this.#route(inbound, router, { update: () => undefined }, abort);
      if (result.kind === "reply") return { text: result.text, failed: false };
      let markdown = "";
      for await (const chunk of result.chunks) markdown += chunk;
      return { text: markdownToMrkdwn(markdown), failed: false };
    } catch (err) {
      if (err instanceof ShuttingDown) throw err;
      return { text: this.#errorText(err, router.activity(inbound), log), failed: true };
    } finally {
      abort.abort(ANSWERED);
    }
  }

  /**
   * Replaces the placeholder when there is one, otherwise posts; either way one message carries the
   * answer, keyed with the request id so a lost write is found rather than repeated, and Slack's
   * refusals (too long, bad blocks, not in the channel) are handled by the poster.
   */
  async #deliver(inbound: Inbound, existing: PostedMessage | undefined, text: string, blocks?: unknown[]): Promise<string | undefined> {
    const { poster } = this.options;
    const body = { text: fallbackText(text), blocks: blocks ?? toSections(text) };
    const target = { channel: inbound.room.id, threadTs: inbound.threadTs, user: inbound.user };
    const delivered = existing ? await poster.updateOrPost(existing, target, body, { key: inbound.id }) : await poster.postReply(target, body, { key: inbound.id });
    return delivered.messages[0]?.ts;
  }

  #errorText(err: unknown, activity: string, log: Logger): string {
    const errorId = newErrorId();
    if (isPiperError(err)) {
      log.warn({ err, errorId, code: err.code }, "request failed with a known error");
      return err.userMessage;
    }
    log.error({ err, errorId }, "handler failed");
    return `Something went wrong while ${activity} — I've logged it as \`${errorId}\`. Please try again; if it keeps happening, share that id with whoever runs Piper.`;
  }
}
