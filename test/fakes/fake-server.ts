// Shared plumbing for HTTP fakes: a node:http server on a free port, JSON bodies, call log, and test knobs.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: unknown;
}

export interface FakeResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Route = (req: FakeRequest, params: string[]) => FakeResponse | Promise<FakeResponse>;

/** A scripted response for the next call(s): knobs take precedence over routes. */
export type Override = (req: FakeRequest) => FakeResponse | undefined;

export interface FakeServer {
  url: string;
  /** Every request, in order. */
  calls: FakeRequest[];
  count(method: string, pathPattern: RegExp): number;
  /** Queue one-shot overrides; each is used once, for the next request it matches. */
  push(override: Override, times?: number): void;
  /** Delay the next `times` requests by `ms`. */
  delayNext(ms: number, times?: number): void;
  close(): Promise<void>;
}

export async function startFakeServer(routes: Array<[method: string, pattern: RegExp, route: Route]>, opts: { port?: number; defaultHeaders?: () => Record<string, string> } = {}): Promise<FakeServer> {
  const calls: FakeRequest[] = [];
  const overrides: Override[] = [];
  const delays: number[] = [];

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://fake");
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      // not JSON; keep the text
    }
    const request: FakeRequest = { method: req.method ?? "GET", path: url.pathname, query: url.searchParams, headers: req.headers, body };
    calls.push(request);
    const delay = delays.shift();
    if (delay) await new Promise((r) => setTimeout(r, delay));
    let response: FakeResponse | undefined;
    for (let i = 0; i < overrides.length && !response; i++) {
      response = overrides[i]!(request);
      if (response) overrides.splice(i, 1);
    }
    if (!response) {
      const match = routes.find(([m, p]) => m === request.method && p.test(request.path));
      response = match ? await match[2](request, match[1].exec(request.path)!.slice(1)) : { status: 404, body: { message: "Not Found" } };
    }
    if (res.destroyed) return;
    res.writeHead(response.status, { "content-type": "application/json; charset=utf-8", ...(opts.defaultHeaders?.() ?? {}), ...(response.headers ?? {}) });
    res.end(response.body === undefined ? "" : JSON.stringify(response.body));
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    count: (method, pattern) => calls.filter((c) => c.method === method && pattern.test(c.path)).length,
    push: (override, times = 1) => {
      for (let i = 0; i < times; i++) overrides.push(override);
    },
    delayNext: (ms, times = 1) => {
      for (let i = 0; i < times; i++) delays.push(ms);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
