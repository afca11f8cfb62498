// Turns one Inbound into exactly one message in its thread: progress while working, then the answer or a clear error.
import { randomBytes } from "node:crypto";
import type { Logger } from "../logger.js";
import { isPiperError } from "../errors.js";
import type { Progress, Router, RouterResult } from "../routing/router.js";
import type { Inbound } from "./inbound.js";
import type { PostedMessage, SlackPoster } from "./poster.js";
import { fallbackText, markdownToMrkdwn, toSections } from "./format.js";
import { StreamWriter } from "./stream-writer.js";

export interface ResponderOptions {
  poster: SlackPoster;
  logger: Logger;
  /** Work slower than this gets a placeholder message (and a status in DMs) that the answer replaces. */
  progressAfterMs?: number;
  /** Assistant statuses expire after 2 minutes; refresh before that. */
  statusRefreshMs?: number;
  /** Slack streams end after about 5 minutes; switch to chat.update before that. */
  streamMaxMs?: number;
}

export interface Answer {
  text: string;
  ts?: string;
  failed: boolean;
}

const WORKING = "_Working on it…_";

export function newErrorId(): string {
  return `E${randomBytes(4).toString("hex").toUpperCase()}`;
}

export class ThreadResponder {
  readonly #progressAfterMs: number;
  readonly #statusRefreshMs: number;

  constructor(private readonly options: ResponderOptions) {
    this.#progressAfterMs = options.progressAfterMs ?? 800;
    this.#statusRefreshMs = options.statusRefreshMs ?? 100_000;
  }

  async answer(inbound: Inbound, router: Router): Promise<Answer> {
    const { poster } = this.options;
    const log = this.options.logger.child({ eventId: inbound.id });
    const channel = inbound.room.id;
    const abort = new AbortController();
    let placeholder: Promise<PostedMessage | undefined> | undefined;
    let lastStatus = "";

    const setStatus = (status: string) => {
      lastStatus = status;
      // Assistant statuses show in DMs (the Messages tab); channels get the placeholder instead.
      if (inbound.room.kind === "dm" && inbound.threadTs) poster.setStatus(channel, inbound.threadTs, status).catch(() => undefined);
    };
    const progressTimer = setTimeout(() => {
      setStatus("is working on it…");
      placeholder = poster.postMessage(channel, inbound.threadTs, { text: WORKING }).catch((err: unknown) => {
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
        result = await router.route(inbound, progress, abort.signal);
      } catch (err) {
        failed = true;
        result = { kind: "reply", text: this.#errorText(err, router.activity(inbound), log) };
      }
      clearTimeout(progressTimer);
      const existing = placeholder ? await placeholder : undefined;
      if (result.kind === "stream") {
        const writer = new StreamWriter({ poster, logger: log, inbound, existing, maxMs: this.options.streamMaxMs });
        try {
          const streamed = await writer.write(result.chunks);
          return { ...streamed, failed };
        } catch (err) {
          // The model failed part-way: the partial answer stays, and one error is added to it.
          await writer.stop();
          const text = `${writer.textSoFar()}\n\n${this.#errorText(err, router.activity(inbound), log)}`.trim();
          const ts = await this.#deliver(channel, inbound.threadTs, writer.messageTs() ? { channel, ts: writer.messageTs()! } : existing, text);
          return { text, ts, failed: true };
        }
      }
      const ts = await this.#deliver(channel, inbound.threadTs, existing, result.text, result.blocks);
      return { text: result.text, ts, failed };
    } finally {
      clearTimeout(progressTimer);
      clearInterval(statusTimer);
      abort.abort();
    }
  }

  /**
   * Answers without posting (slash commands reply through response_url): the whole text, with
   * streams collected and errors turned into their sentence.
   */
  async compute(inbound: Inbound, router: Router): Promise<Answer> {
    const log = this.options.logger.child({ eventId: inbound.id });
    const abort = new AbortController();
    try {
      const result = await router.route(inbound, { update: () => undefined }, abort.signal);
      if (result.kind === "reply") return { text: result.text, failed: false };
      let markdown = "";
      for await (const chunk of result.chunks) markdown += chunk;
      return { text: markdownToMrkdwn(markdown), failed: false };
    } catch (err) {
      return { text: this.#errorText(err, router.activity(inbound), log), failed: true };
    } finally {
      abort.abort();
    }
  }

  /** Replaces the placeholder when there is one, otherwise posts; either way one message carries the answer. */
  async #deliver(channel: string, threadTs: string | undefined, existing: PostedMessage | undefined, text: string, blocks?: unknown[]): Promise<string> {
    const body = { text: fallbackText(text), blocks: blocks ?? toSections(text) };
    if (existing) {
      try {
        await this.options.poster.update(existing.channel, existing.ts, body);
        return existing.ts;
      } catch (err) {
        this.options.logger.warn({ err }, "could not update placeholder; posting the answer instead");
      }
    }
    return (await this.options.poster.postMessage(channel, threadTs, body)).ts;
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
