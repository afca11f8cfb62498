// Streams an answer into Slack (chat.startStream/appendStream/stopStream), falling back to chat.update.
import type { Logger } from "../logger.js";
import type { Inbound } from "./inbound.js";
import type { PostedMessage, SlackPoster } from "./poster.js";
import { fallbackText, markdownToMrkdwn, toSections } from "./format.js";

export interface StreamWriterOptions {
  poster: SlackPoster;
  logger: Logger;
  inbound: Inbound;
  /** A placeholder already in the thread: the answer goes into it with chat.update instead of a stream. */
  existing?: PostedMessage;
  /** Slack ends streams after about 5 minutes; past this Piper finishes with chat.update. */
  maxMs?: number;
  /** Chunks are gathered for this long before one append/update, to stay inside rate limits. */
  flushMs?: number;
}

export class StreamWriter {
  #text = "";
  #message: PostedMessage | undefined;
  #streaming = false;
  #lastFlush = 0;
  #flushedLength = 0;

  constructor(private readonly options: StreamWriterOptions) {
    this.#message = options.existing;
  }

  textSoFar(): string {
    return markdownToMrkdwn(this.#text);
  }

  messageTs(): string | undefined {
    return this.#message?.ts;
  }

  async write(chunks: AsyncIterable<string>): Promise<{ text: string; ts?: string }> {
    const started = Date.now();
    const maxMs = this.options.maxMs ?? 270_000;
    const flushMs = this.options.flushMs ?? 400;
    for await (const chunk of chunks) {
      this.#text += chunk;
      if (this.#streaming && Date.now() - started > maxMs) await this.#abandonStream("stream outlived Slack's limit");
      if (Date.now() - this.#lastFlush >= flushMs) await this.#flush();
    }
    await this.#finish();
    return { text: this.textSoFar(), ts: this.#message?.ts };
  }

  async #flush(): Promise<void> {
    this.#lastFlush = Date.now();
    const { poster, inbound } = this.options;
    if (!this.#message && inbound.threadTs === undefined) return; // streams live in threads; a top-level DM gets one post
    if (!this.#message) {
      try {
        this.#message = await poster.startStream({
          channel: inbound.room.id,
          threadTs: inbound.threadTs!,
          markdown: this.#text,
          // A start whose outcome is lost is looked for after the message being answered.
          after: inbound.ts ?? inbound.threadTs,
          // Outside DMs Slack needs to know whom the stream is for.
          ...(inbound.room.kind === "dm" ? {} : { recipientUserId: inbound.user, recipientTeamId: inbound.territory }),
        });
        this.#streaming = true;
        this.#flushedLength = this.#text.length;
      } catch (err) {
        this.options.logger.warn({ err }, "could not start a stream; will post the whole answer");
      }
      return;
    }
    if (this.#streaming) {
      const delta = this.#text.slice(this.#flushedLength);
      if (!delta) return;
      try {
        await poster.appendStream(this.#message.channel, this.#message.ts, delta);
        this.#flushedLength = this.#text.length;
      } catch (err) {
        await this.#abandonStream(err);
      }
      return;
    }
    await this.#update().catch((err: unknown) => this.options.logger.warn({ err }, "interim update failed"));
  }

  async #finish(): Promise<void> {
    const { poster, inbound } = this.options;
    if (this.#streaming && this.#message) {
      await this.#flush();
      if (this.#streaming) {
        try {
          await poster.stopStream(this.#message.channel, this.#message.ts, { key: inbound.id });
          return;
        } catch (err) {
          await this.#abandonStream(err);
        }
      }
    }
    // The finished answer goes through the poster's once-only paths: a lost update is read back, a lost post looked up.
    const target = { channel: inbound.room.id, threadTs: inbound.threadTs, user: inbound.user };
    const delivered = this.#message
      ? await poster.updateOrPost(this.#message, target, this.#body(), { key: inbound.id })
      : await poster.postReply(target, this.#body(), { key: inbound.id });
    this.#message = delivered.messages[0];
  }

  /** Ends a stream that is still open (best effort), so the message can be finished with chat.update. */
  async stop(): Promise<void> {
    if (this.#streaming) await this.#abandonStream("the answer stopped part-way");
  }

  /** Stops streaming (best effort) and finishes the same message with chat.update. */
  async #abandonStream(reason: unknown): Promise<void> {
    this.options.logger.warn({ err: reason }, "stream failed; finishing with chat.update");
    this.#streaming = false;
    if (this.#message) await this.options.poster.stopStream(this.#message.channel, this.#message.ts).catch(() => undefined);
  }

  /** Interim updates carry no key: the reply key marks the finished answer, which a read-back looks for. */
  async #update(): Promise<void> {
    if (!this.#message) return;
    await this.options.poster.update(this.#message.channel, this.#message.ts, this.#body());
  }

  #body(): { text: string; blocks: unknown[] } {
    const mrkdwn = this.textSoFar();
    return { text: fallbackText(mrkdwn), blocks: toSections(mrkdwn) };
  }
}
