// The `fetch` Slack's WebClient calls, on node:http(s) with kept-alive connections instead of undici's fetch.
//
// The WebClient sends one kind of request — a POST with a url-encoded string body — and reads status,
// statusText, url, headers.get/entries, text() and arrayBuffer(). Per call, undici's fetch builds Request,
// Response, Headers and web-stream objects around that; this answers the same questions from one
// http.request. Anything else (a FormData body for file uploads, a redirect option other than "error")
// goes to the global fetch.
import http, { type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import https from "node:https";
import type { WebClientOptions } from "@slack/web-api";

export type HttpFetch = NonNullable<WebClientOptions["fetch"]> & {
  /** Drops the kept-alive connections (shutdown). */
  close(): void;
};

interface FetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  redirect?: string;
  signal?: AbortSignal | null;
}

class LeanHeaders {
  constructor(private readonly raw: IncomingHttpHeaders) {}

  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(", ") : String(value);
  }

  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }

  *entries(): IterableIterator<[string, string]> {
    for (const name of Object.keys(this.raw)) yield [name, this.get(name)!];
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}

class LeanResponse {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly redirected = false;
  readonly headers: LeanHeaders;

  constructor(
    readonly url: string,
    res: IncomingMessage,
    readonly body: Buffer,
  ) {
    this.status = res.statusCode ?? 0;
    this.statusText = res.statusMessage ?? "";
    this.ok = this.status >= 200 && this.status < 300;
    this.headers = new LeanHeaders(res.headers);
  }

  async text(): Promise<string> {
    return this.body.toString("utf8");
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.body.toString("utf8"));
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return this.body.buffer.slice(this.body.byteOffset, this.body.byteOffset + this.body.byteLength) as ArrayBuffer;
  }
}

export interface HttpFetchOptions {
  maxSockets?: number;
  /**
   * A request still unanswered after this is destroyed and rejected with a TimeoutError (what fetch
   * rejects with when an AbortSignal.timeout fires). Its timer is cleared the moment the request ends.
   */
  timeoutMs?: number;
}

export function createHttpFetch(options: HttpFetchOptions = {}): HttpFetch {
  const agents = {
    "http:": new http.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 100 }),
    "https:": new https.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 100 }),
  };
  const timeoutMs = options.timeoutMs;
  const leanFetch = (input: string | URL, init: FetchInit = {}): Promise<LeanResponse | Response> => {
    const url = new URL(String(input));
    const body = init.body;
    const plain = body === undefined || typeof body === "string" || Buffer.isBuffer(body);
    if (!plain || (init.redirect !== undefined && init.redirect !== "error") || !(url.protocol in agents)) return globalThis.fetch(input, init as RequestInit);
    return new Promise((resolve, reject) => {
      const signal = init.signal ?? undefined;
      if (signal?.aborted) return reject(signal.reason);
      const protocol = url.protocol as keyof typeof agents;
      const transport = protocol === "https:" ? https : http;
      let timer: NodeJS.Timeout | undefined;
      const fail = (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      };
      const req = transport.request(url, { method: init.method ?? "GET", headers: init.headers, agent: agents[protocol], signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", fail);
        res.on("end", () => {
          clearTimeout(timer);
          const status = res.statusCode ?? 0;
          // Like fetch with redirect: "error": a redirect is a failed request, not a response.
          if (status >= 300 && status < 400 && res.headers.location) return reject(new TypeError(`unexpected redirect to ${res.headers.location}`));
          resolve(new LeanResponse(url.href, res, Buffer.concat(chunks)));
        });
      });
      // An abort rejects with the signal's reason, as fetch does (a timeout's is a TimeoutError).
      req.on("error", (err) => fail(signal?.aborted ? signal.reason : err));
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          fail(new DOMException(`no answer within ${timeoutMs} ms`, "TimeoutError"));
          req.destroy();
        }, timeoutMs);
      }
      req.end(body as string | Buffer | undefined);
    });
  };
  const close = () => {
    agents["http:"].destroy();
    agents["https:"].destroy();
  };
  return Object.assign(leanFetch as unknown as NonNullable<WebClientOptions["fetch"]>, { close });
}
