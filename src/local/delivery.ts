// Delivers envelopes to the app the way Slack does: signed HTTP POSTs (or Socket Mode), redelivered when not acked in time.
import { Agent as HttpAgent, request as httpRequest, type ClientRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { Logger } from "pino";
import { signRequest } from "./signing.js";
import type { SocketModeServer } from "./socket-mode.js";
import { preciseNow } from "./clock.js";

export interface DeliveryRecord {
  eventId?: string;
  type: string;
  /** 0 for the first delivery, n for the n-th retry. */
  attempt: number;
  /** HTTP status (0: timed out or could not connect). */
  status: number;
  ms: number;
}

export interface DeliveryOptions {
  signingSecret: string;
  ackTimeoutMs: number;
  retryDelaysMs: number[];
  logger?: Logger;
}

export interface DeliverOnce {
  retryNum?: number;
  retryReason?: string;
  signature?: "valid" | "bad" | "stale";
}

export class Deliverer {
  readonly records: DeliveryRecord[] = [];
  url: string | undefined;
  #closed = false;
  readonly #timers = new Set<NodeJS.Timeout>();
  // node:http with keep-alive rather than fetch: a third of the CPU per delivery, which matters when the
  // emulator drives hundreds of events a second beside the app it measures. Idle sockets are dropped
  // before an app's 5 s keep-alive ends, so a delivery never lands on a socket the app is closing.
  readonly #agents = { http: new HttpAgent({ keepAlive: true, timeout: 4_000 }), https: new HttpsAgent({ keepAlive: true, timeout: 4_000 }) };

  constructor(
    private readonly options: DeliveryOptions,
    private readonly socket: SocketModeServer,
  ) {}

  close(): void {
    this.#closed = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#agents.http.destroy();
    this.#agents.https.destroy();
  }

  /** First attempt now; retries follow Slack's schedule until acked or out of retries. Resolves after the first attempt. */
  async deliverEvent(envelope: Record<string, unknown>): Promise<DeliveryRecord | undefined> {
    // No app subscribed (no URL, no socket): like Slack, nothing is sent and nothing is retried later.
    if (this.url === undefined && !this.socket.connected()) return undefined;
    const first = await this.#attempt(envelope, 0);
    if (!isAck(first.status)) this.#scheduleRetry(envelope, 1, first.status === 0 ? "http_timeout" : "http_error");
    return first;
  }

  #scheduleRetry(envelope: Record<string, unknown>, retryNum: number, reason: string): void {
    if (this.#closed || retryNum > this.options.retryDelaysMs.length) return;
    const timer = setTimeout(async () => {
      this.#timers.delete(timer);
      const record = await this.#attempt(envelope, retryNum, reason);
      if (!isAck(record.status)) this.#scheduleRetry(envelope, retryNum + 1, record.status === 0 ? "http_timeout" : "http_error");
    }, this.options.retryDelaysMs[retryNum - 1]);
    this.#timers.add(timer);
  }

  async #attempt(envelope: Record<string, unknown>, retryNum: number, reason?: string): Promise<DeliveryRecord> {
    const started = preciseNow();
    let status: number;
    if (this.socket.connected()) {
      const ack = await this.socket.send("events_api", envelope, { retryAttempt: retryNum, retryReason: reason ?? "", timeoutMs: this.options.ackTimeoutMs });
      status = ack ? 200 : 0;
    } else {
      status = (await this.postHttp(JSON.stringify(envelope), "application/json", { retryNum, retryReason: reason })).status;
    }
    const record: DeliveryRecord = { eventId: envelope.event_id as string | undefined, type: eventType(envelope), attempt: retryNum, status, ms: preciseNow() - started };
    this.records.push(record);
    return record;
  }

  /** One signed POST to the app's URL; status 0 when it timed out or could not connect. */
  async postHttp(body: string, contentType: string, opts: DeliverOnce = {}): Promise<{ status: number; body: string; contentType: string }> {
    if (!this.url) {
      this.options.logger?.warn("no delivery URL set; event not delivered");
      return { status: 0, body: "", contentType: "" };
    }
    const ts = opts.signature === "stale" ? Math.floor(Date.now() / 1000) - 6 * 60 : undefined;
    const headers: Record<string, string> = { "content-type": contentType, ...signRequest(this.options.signingSecret, body, ts) };
    if (opts.signature === "bad") headers["x-slack-signature"] = `v0=${"0".repeat(64)}`;
    if (opts.retryNum) {
      headers["x-slack-retry-num"] = String(opts.retryNum);
      headers["x-slack-retry-reason"] = opts.retryReason ?? "http_timeout";
    }
    headers["content-length"] = String(Buffer.byteLength(body));
    return this.#post(new URL(this.url), headers, body, Date.now() + this.options.ackTimeoutMs, true);
  }

  /** One POST that settles by `deadline`; a kept-alive socket the app closed under us is retried once on a fresh one. */
  #post(url: URL, headers: Record<string, string>, body: string, deadline: number, mayRetry: boolean): Promise<{ status: number; body: string; contentType: string }> {
    return new Promise((resolve) => {
      const secure = url.protocol === "https:";
      let req: ClientRequest | undefined;
      let settled = false;
      const settle = (result: { status: number; body: string; contentType: string }) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const timer = setTimeout(() => {
        settle({ status: 0, body: "", contentType: "" });
        req?.destroy();
      }, Math.max(0, deadline - Date.now()));
      req = (secure ? httpsRequest : httpRequest)(url, { method: "POST", headers, agent: secure ? this.#agents.https : this.#agents.http }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => settle({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), contentType: String(res.headers["content-type"] ?? "") }));
        res.on("error", () => settle({ status: 0, body: "", contentType: "" }));
      });
      req.on("error", (err: NodeJS.ErrnoException) => {
        if (settled) return;
        if (mayRetry && req?.reusedSocket && err.code === "ECONNRESET") {
          clearTimeout(timer);
          settled = true;
          resolve(this.#post(url, headers, body, deadline, false));
          return;
        }
        settle({ status: 0, body: "", contentType: "" });
      });
      req.end(body);
    });
  }
}

function isAck(status: number): boolean {
  return status >= 200 && status < 300;
}

function eventType(envelope: Record<string, unknown>): string {
  const event = envelope.event as { type?: string } | undefined;
  return event?.type ?? String(envelope.type ?? "unknown");
}
