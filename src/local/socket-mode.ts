// Socket Mode, as Slack speaks it: hello on connect, envelopes out, {envelope_id} acks back within the deadline.
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { IDS } from "./store.js";

export type EnvelopeType = "events_api" | "slash_commands" | "interactive";

export class SocketModeServer {
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #clients = new Set<WebSocket>();
  readonly #pending = new Map<string, (payload: unknown) => void>();
  #next = 0;

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      this.#clients.add(ws);
      ws.on("close", () => this.#clients.delete(ws));
      ws.on("message", (data) => this.#onMessage(String(data)));
      ws.send(JSON.stringify({ type: "hello", num_connections: this.#clients.size, debug_info: { host: "local", approximate_connection_time: 18060 }, connection_info: { app_id: IDS.app } }));
    });
  }

  connected(): boolean {
    return this.#clients.size > 0;
  }

  /** Sends an envelope to one connected client; resolves with the ack (or undefined when none arrived in time). */
  send(type: EnvelopeType, payload: unknown, opts: { retryAttempt: number; retryReason: string; timeoutMs: number }): Promise<{ payload?: unknown } | undefined> {
    const clients = [...this.#clients];
    const ws = clients[this.#next++ % clients.length];
    if (!ws) return Promise.resolve(undefined);
    const envelopeId = randomUUID();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(envelopeId);
        resolve(undefined);
      }, opts.timeoutMs);
      this.#pending.set(envelopeId, (ackPayload) => {
        clearTimeout(timer);
        resolve({ payload: ackPayload });
      });
      ws.send(
        JSON.stringify({
          envelope_id: envelopeId,
          type,
          payload,
          accepts_response_payload: type !== "events_api",
          retry_attempt: opts.retryAttempt,
          retry_reason: opts.retryReason,
        }),
      );
    });
  }

  #onMessage(raw: string): void {
    let msg: { envelope_id?: string; payload?: unknown };
    try {
      msg = JSON.parse(raw) as typeof msg;
    } catch {
      return;
    }
    if (msg.envelope_id) this.#pending.get(msg.envelope_id)?.(msg.payload);
    if (msg.envelope_id) this.#pending.delete(msg.envelope_id);
  }

  async close(): Promise<void> {
    for (const ws of this.#clients) ws.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }
}
