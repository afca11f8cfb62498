// Piper's one HTTP port: Slack requests (/slack/events), /healthz and /metrics.
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../logger.js";
import { isAddressInUse, PortInUseError } from "../errors.js";

export interface HealthReport {
  healthy: boolean;
  body: Record<string, unknown>;
}

export interface HttpServerOptions {
  port: number;
  host: string;
  logger: Logger;
  health: () => Promise<HealthReport>;
  metrics: () => Promise<{ contentType: string; text: string }>;
  /** Bolt's request listener; absent in Socket Mode. */
  slack?: RequestListener;
}

export interface RunningHttpServer {
  port: number;
  url: string;
  /** Stops accepting connections, lets in-flight requests finish (up to `graceMs`), then closes. */
  close(graceMs?: number): Promise<void>;
}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const { logger } = options;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === "/healthz") {
      options
        .health()
        .then((report) => sendJson(res, report.healthy ? 200 : 503, report.body))
        .catch((err: unknown) => {
          logger.error({ err }, "health check failed");
          sendJson(res, 503, { status: "error" });
        });
      return;
    }
    if (req.method === "GET" && path === "/metrics") {
      options
        .metrics()
        .then(({ contentType, text }) => {
          res.writeHead(200, { "content-type": contentType });
          res.end(text);
        })
        .catch((err: unknown) => {
          logger.error({ err }, "metrics failed");
          res.writeHead(500).end();
        });
      return;
    }
    if (options.slack && path === "/slack/events") {
      options.slack(req, res);
      return;
    }
    sendJson(res, 404, { error: "not_found" });
  });
  // Slack keeps connections open; a short keep-alive stops them from delaying shutdown.
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", (err) => reject(isAddressInUse(err) ? new PortInUseError(options.port, "PIPER_PORT") : err));
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = options.host === "0.0.0.0" || options.host === "::" ? "localhost" : options.host;
  return {
    port,
    url: `http://${shownHost}:${port}`,
    close(graceMs = 2_000) {
      return new Promise((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}

function sendJson(res: import("node:http").ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}
