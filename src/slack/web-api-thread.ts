// Slack's Web API client with its HTTP work (fetch, streams, JSON) on a worker thread: the thread that acks Slack keeps its time for acks.
import { Worker } from "node:worker_threads";
import { WebClient, type WebAPICallResult, type WebClientOptions } from "@slack/web-api";
import type { Logger } from "../logger.js";


type Reply = { id: number; ok: true; result: WebAPICallResult } | { id: number; ok: false; error: Record<string, unknown> & { message: string } } | { log: "warn" | "error"; message: string };

/**
 * A WebClient whose calls are made by a WebClient in a worker thread. Every method (chat.postMessage,
 * conversations.info, …) goes through `apiCall`, so overriding it moves them all; results come back as
 * the SDK returns them, and errors with the fields Piper classifies them by (code, data, statusCode,
 * retryAfter, original). Arguments that can't cross threads (file uploads) are sent from this thread.
 */
export class ThreadedWebClient extends WebClient {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (r: WebAPICallResult) => void; reject: (e: unknown) => void; settled: Promise<unknown> }>();
  #nextId = 1;
  #closed = false;

  /** `options` as slackClientOptions() builds them; the SDK's warnings from the thread go to `logger`. */
  constructor(token: string, options: WebClientOptions, logger: Logger) {
    super(token, options);
    const { slackApiUrl, retryConfig, rejectRateLimitedCalls, timeout } = options;
    const crossing = { slackApiUrl, retryConfig, rejectRateLimitedCalls, timeout };
    this.#worker = new Worker(new URL("./web-api-worker.mjs", import.meta.url), { workerData: { token, options: crossing } });
    // Idle, the thread must not keep Piper running; with a call in flight it must (see #track).
    this.#worker.unref();
    this.#worker.on("message", (reply: Reply) => {
      if ("log" in reply) return void logger[reply.log]({ component: "slack-web-api" }, reply.message);
      const waiting = this.#pending.get(reply.id);
      if (!waiting) return;
      this.#untrack(reply.id);
      if (reply.ok) waiting.resolve(reply.result);
      else waiting.reject(rebuildError(reply.error));
    });
    const gone = (reason: string) => {
      this.#closed = true;
      const err = Object.assign(new Error(`Slack's client thread stopped (${reason})`), { code: "slack_webapi_request_error", original: { message: reason } });
      for (const [id, waiting] of this.#pending) {
        this.#untrack(id);
        waiting.reject(err);
      }
    };
    this.#worker.on("error", (err) => gone(err.message));
    this.#worker.on("exit", (code) => gone(`exit code ${code}`));
  }

  override apiCall(method: string, options: Record<string, unknown> = {}): Promise<WebAPICallResult> {
    if (this.#closed || "file" in options || "file_uploads" in options || "content" in options) return super.apiCall(method, options);
    const id = this.#nextId++;
    let resolve!: (r: WebAPICallResult) => void;
    let reject!: (e: unknown) => void;
    const result = new Promise<WebAPICallResult>((res, rej) => ((resolve = res), (reject = rej)));
    try {
      // Cloning is where arguments that can't cross threads are found out (synchronously).
      this.#worker.postMessage({ id, method, args: options });
    } catch {
      return super.apiCall(method, options);
    }
    if (this.#pending.size === 0) this.#worker.ref();
    this.#pending.set(id, { resolve, reject, settled: result.catch(() => undefined) });
    return result;
  }

  /** Waits (up to `waitMs`) for calls in flight, then stops the thread; later calls are made on this thread. */
  async close(waitMs = 5_000): Promise<void> {
    this.#closed = true;
    const inFlight = Promise.allSettled([...this.#pending.values()].map((w) => w.settled));
    await Promise.race([inFlight, new Promise((r) => setTimeout(r, waitMs).unref())]);
    await this.#worker.terminate();
  }

  #untrack(id: number): void {
    this.#pending.delete(id);
    if (this.#pending.size === 0) this.#worker.unref();
  }
}

function rebuildError(error: Record<string, unknown> & { message: string }): Error {
  const { message, name, ...fields } = error;
  const rebuilt = new Error(message);
  if (typeof name === "string") rebuilt.name = name;
  return Object.assign(rebuilt, fields);
}
