// The `fetch` Slack's WebClient calls, on node:http(s) with kept-alive connections instead of undici's fetch.
// Plain JavaScript, so the built app and a worker thread could load it without a TypeScript loader.
//
// The WebClient sends one kind of request — a POST with a url-encoded string body — and reads status,
// statusText, url, headers.get/entries, text() and arrayBuffer(). Per call, undici's fetch builds Request,
// Response, Headers and web-stream objects around that; this answers the same questions from one
// http.request. Anything else (a FormData body for file uploads, a redirect option other than "error")
// goes to the global fetch.
import http from "node:http";
import https from "node:https";

/** @typedef {{ method?: string, headers?: Record<string, string>, body?: unknown, redirect?: string, signal?: AbortSignal }} FetchInit */

class LeanHeaders {
  /** @param {import("node:http").IncomingHttpHeaders} raw */
  constructor(raw) {
    this.raw = raw;
  }
  /** @param {string} name */
  get(name) {
    const value = this.raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(", ") : String(value);
  }
  /** @param {string} name */
  has(name) {
    return this.raw[name.toLowerCase()] !== undefined;
  }
  *entries() {
    for (const name of Object.keys(this.raw)) yield [name, /** @type {string} */ (this.get(name))];
  }
  [Symbol.iterator]() {
    return this.entries();
  }
}

class LeanResponse {
  /** @param {string} url @param {import("node:http").IncomingMessage} res @param {Buffer} body */
  constructor(url, res, body) {
    this.url = url;
    this.status = res.statusCode ?? 0;
    this.statusText = res.statusMessage ?? "";
    this.ok = this.status >= 200 && this.status < 300;
    this.redirected = false;
    this.headers = new LeanHeaders(res.headers);
    this.body = body;
  }
  async text() {
    return this.body.toString("utf8");
  }
  async json() {
    return JSON.parse(this.body.toString("utf8"));
  }
  async arrayBuffer() {
    return this.body.buffer.slice(this.body.byteOffset, this.body.byteOffset + this.body.byteLength);
  }
}

/**
 * @param {{ maxSockets?: number }} [options]
 * @returns {((input: string | URL, init?: FetchInit) => Promise<LeanResponse | Response>) & { close: () => void }}
 */
export function createHttpFetch(options = {}) {
  const agents = {
    "http:": new http.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 100 }),
    "https:": new https.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 100 }),
  };
  /** @param {string | URL} input @param {FetchInit} [init] */
  const leanFetch = (input, init = {}) => {
    const url = new URL(String(input));
    const body = init.body;
    const plain = body === undefined || typeof body === "string" || Buffer.isBuffer(body);
    if (!plain || (init.redirect !== undefined && init.redirect !== "error") || !(url.protocol in agents)) return globalThis.fetch(input, /** @type {RequestInit} */ (init));
    return new Promise((resolve, reject) => {
      const signal = init.signal;
      if (signal?.aborted) return reject(signal.reason);
      const transport = url.protocol === "https:" ? https : http;
      const req = transport.request(url, { method: init.method ?? "GET", headers: init.headers, agent: agents[/** @type {"http:" | "https:"} */ (url.protocol)], signal }, (res) => {
        const chunks = [];
        res.on("data", (chunk) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          // Like fetch with redirect: "error": a redirect is a failed request, not a response.
          if (status >= 300 && status < 400 && res.headers.location) return reject(new TypeError(`unexpected redirect to ${res.headers.location}`));
          resolve(new LeanResponse(url.href, res, Buffer.concat(chunks)));
        });
      });
      // An abort rejects with the signal's reason, as fetch does (a timeout's is a TimeoutError).
      req.on("error", (err) => reject(signal?.aborted ? signal.reason : err));
      req.end(body);
    });
  };
  /** Drops the kept-alive connections (shutdown). */
  const close = () => {
    agents["http:"].destroy();
    agents["https:"].destroy();
  };
  return Object.assign(leanFetch, { close });
}
