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
  /** Written as-is instead of `body` (set `content-type`), one write per chunk: a streamed answer such as server-sent events. */
  raw?: string[];
}

export type Route = (req: FakeRequest, params: string[]) => FakeResponse | Promise<FakeResponse>;

/** A scripted response for the next call(s): knobs take precedence over routes. */
export type Override = (req: FakeRequest) => FakeResponse | undefined;

/** Replaces the answer to a request the fake has already acted on (the write happened; the reply says otherwise). */
export type Rewrite = (req: FakeRequest, handled: FakeResponse) => FakeResponse | undefined;

/** A request parked before the fake acts on it, so a test can look while it is in flight. */
export interface Hold {
  /** Resolves with the request once it has arrived and is parked. */
  arrived: Promise<FakeRequest>;
  /** Resolves once the client has given up on the parked request (aborted or disconnected). */
  abandoned: Promise<void>;
  /** Lets the request carry on; if its client has gone, the fake drops it without acting on it. */
  release(): void;
  /** Resolves, after release, with what the fake did with the request. */
  outcome: Promise<"handled" | "dropped">;
}

/** A request the fake has acted on, its answer parked: the write happened, the client has not heard yet. */
export interface AnswerHold {
  /** Resolves with the request once the fake has acted on it. */
  handled: Promise<FakeRequest>;
  /** Sends the answer (dropped if the client has gone). */
  release(): void;
}

export interface FakeServer {
  url: string;
  /** Every request, in order. */
  calls: FakeRequest[];
  /** Requests whose client gave up before the fake acted on them; they changed nothing. */
  abandoned: FakeRequest[];
  count(method: string, pathPattern: RegExp): number;
  /** Queue one-shot overrides; each is used once, for the next request it matches. */
  push(override: Override, times?: number): void;
  /** Queue one-shot rewrites: the next matching request is handled as usual, then answered with the rewrite. */
  afterHandling(rewrite: Rewrite, times?: number): void;
  /** Delay the next `times` requests by `ms`. */
  delayNext(ms: number, times?: number): void;
  /** Park the next request (matching `method` and `pathPattern`, when given) until released. */
  holdNext(method?: string, pathPattern?: RegExp): Hold;
  /** Act on the next request (matching `method` and `pathPattern`, when given) but park its answer until released. */
  holdAnswerNext(method?: string, pathPattern?: RegExp): AnswerHold;
  close(): Promise<void>;
}

interface PendingHold {
  matches: (req: FakeRequest) => boolean;
  arrived: (req: FakeRequest) => void;
  abandoned: () => void;
  released: Promise<void>;
  settle: (outcome: "handled" | "dropped") => void;
}

export async function startFakeServer(routes: Array<[method: string, pattern: RegExp, route: Route]>, opts: { port?: number; defaultHeaders?: () => Record<string, string> } = {}): Promise<FakeServer> {
  const calls: FakeRequest[] = [];
  const abandoned: FakeRequest[] = [];
  const overrides: Override[] = [];
  const rewrites: Rewrite[] = [];
  const delays: number[] = [];
  const holds: PendingHold[] = [];
  const answerHolds: Array<{ matches: (req: FakeRequest) => boolean; handled: (req: FakeRequest) => void; released: Promise<void> }> = [];

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    // A client that aborts closes the response before we have written it.
    let clientGone = false;
    const gone: Array<() => void> = [];
    res.on("close", () => {
      if (res.writableEnded) return;
      clientGone = true;
      for (const notify of gone) notify();
    });
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
    const holdAt = holds.findIndex((h) => h.matches(request));
    const hold = holdAt >= 0 ? holds.splice(holdAt, 1)[0] : undefined;
    if (hold) {
      hold.arrived(request);
      if (clientGone) hold.abandoned();
      else gone.push(hold.abandoned);
      await hold.released;
    }
    if (clientGone) {
      abandoned.push(request);
      hold?.settle("dropped");
      return;
    }
    let response: FakeResponse | undefined;
    for (let i = 0; i < overrides.length && !response; i++) {
      response = overrides[i]!(request);
      if (response) overrides.splice(i, 1);
    }
    if (!response) {
      const match = routes.find(([m, p]) => m === request.method && p.test(request.path));
      response = match ? await match[2](request, match[1].exec(request.path)!.slice(1)) : { status: 404, body: { message: "Not Found" } };
      for (let i = 0; i < rewrites.length; i++) {
        const rewritten = rewrites[i]!(request, response);
        if (!rewritten) continue;
        rewrites.splice(i, 1);
        response = rewritten;
        break;
      }
    }
    hold?.settle("handled");
    const answerAt = answerHolds.findIndex((h) => h.matches(request));
    if (answerAt >= 0) {
      const answerHold = answerHolds.splice(answerAt, 1)[0]!;
      answerHold.handled(request);
      await answerHold.released;
      if (clientGone) return; // nobody to answer: the write stands, its answer is lost
    }
    if (res.destroyed) return;
    res.writeHead(response.status, { "content-type": "application/json; charset=utf-8", ...(opts.defaultHeaders?.() ?? {}), ...(response.headers ?? {}) });
    if (response.raw) {
      for (const chunk of response.raw) res.write(chunk);
      res.end();
      return;
    }
    res.end(response.body === undefined ? "" : JSON.stringify(response.body));
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    abandoned,
    count: (method, pattern) => calls.filter((c) => c.method === method && pattern.test(c.path)).length,
    push: (override, times = 1) => {
      for (let i = 0; i < times; i++) overrides.push(override);
    },
    afterHandling: (rewrite, times = 1) => {
      for (let i = 0; i < times; i++) rewrites.push(rewrite);
    },
    delayNext: (ms, times = 1) => {
      for (let i = 0; i < times; i++) delays.push(ms);
    },
    holdNext: (method, pathPattern) => {
      let release!: () => void;
      let arrived!: (req: FakeRequest) => void;
      let abandon!: () => void;
      let settle!: (outcome: "handled" | "dropped") => void;
      const hold: Hold = {
        arrived: new Promise((r) => (arrived = r)),
        abandoned: new Promise((r) => (abandon = () => r())),
        release: () => release(),
        outcome: new Promise((r) => (settle = r)),
      };
      holds.push({
        matches: (req) => (!method || req.method === method) && (!pathPattern || pathPattern.test(req.path)),
        arrived,
        abandoned: abandon,
        released: new Promise((r) => (release = r)),
        settle,
      });
      return hold;
    },
    holdAnswerNext: (method, pathPattern) => {
      let handled!: (req: FakeRequest) => void;
      let release!: () => void;
      const answerHold: AnswerHold = { handled: new Promise((r) => (handled = r)), release: () => release() };
      answerHolds.push({
        matches: (req) => (!method || req.method === method) && (!pathPattern || pathPattern.test(req.path)),
        handled,
        released: new Promise((r) => (release = r)),
      });
      return answerHold;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
