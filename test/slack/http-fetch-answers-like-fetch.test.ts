// Piper's fetch for Slack's WebClient (node:http, kept-alive) gives it what undici's fetch would: status, headers, body, failures.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpFetch } from "../../src/slack/http-fetch.js";

type AnyFetch = (url: string, init?: Record<string, unknown>) => Promise<{ status: number; statusText: string; url: string; headers: { get(n: string): string | null; entries(): Iterable<[string, string]> }; text(): Promise<string>; arrayBuffer(): Promise<ArrayBuffer> }>;
const leanFetch = createHttpFetch();
const lean = leanFetch as unknown as AnyFetch;
const native = globalThis.fetch as unknown as AnyFetch;

describe("Piper's fetch for the Slack WebClient", () => {
  let server: Server;
  let base: string;
  const seen: Array<{ method?: string; body: string; contentType?: string; auth?: string }> = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        seen.push({ method: req.method, body, contentType: req.headers["content-type"], auth: req.headers.authorization });
        if (req.url === "/ok") return void res.writeHead(200, { "content-type": "application/json; charset=utf-8", "x-oauth-scopes": "chat:write" }).end(JSON.stringify({ ok: true, échoed: body }));
        if (req.url === "/limited") return void res.writeHead(429, { "retry-after": "7" }).end();
        if (req.url === "/broken") return void res.writeHead(503, "Service Unavailable", { "content-type": "text/plain" }).end("upstream down");
        if (req.url === "/moved") return void res.writeHead(302, { location: "/ok" }).end();
        if (req.url === "/slow") return void setTimeout(() => res.writeHead(200).end("{}"), 2_000);
        res.writeHead(404).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    leanFetch.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const post = (body: string) => ({ method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", Authorization: "Bearer xoxb-1" }, body, redirect: "error" });

  it("answers a POST as fetch does: status, text, headers, url; the server sees the same request", async () => {
    const body = "channel=C1&text=h%C3%A9llo%20%26%20bye";
    for (const f of [lean, native]) {
      const res = await f(`${base}/ok`, post(body));
      expect(res.status).toBe(200);
      expect(res.url).toBe(`${base}/ok`);
      expect(res.headers.get("Content-Type")).toBe("application/json; charset=utf-8");
      expect(res.headers.get("x-oauth-scopes")).toBe("chat:write");
      expect(res.headers.get("x-missing")).toBeNull();
      expect(JSON.parse(await res.text())).toEqual({ ok: true, échoed: body });
    }
    const [a, b] = seen.slice(-2);
    expect(a).toEqual(b);
    expect(a).toMatchObject({ method: "POST", body, contentType: "application/x-www-form-urlencoded", auth: "Bearer xoxb-1" });
  });

  it("a 429 and a 5xx are responses, with the headers and body the WebClient reads", async () => {
    for (const f of [lean, native]) {
      const limited = await f(`${base}/limited`, post(""));
      expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "7"]);
      const broken = await f(`${base}/broken`, post(""));
      expect([broken.status, broken.statusText, await broken.text()]).toEqual([503, "Service Unavailable", "upstream down"]);
      expect(Object.fromEntries(broken.headers.entries())).toMatchObject({ "content-type": "text/plain" });
    }
  });

  it("fails as fetch does: a redirect, a refused connection, a timeout (with the signal's reason)", async () => {
    await expect(lean(`${base}/moved`, post(""))).rejects.toThrow(/redirect/);
    await expect(native(`${base}/moved`, post(""))).rejects.toThrow();
    await expect(lean("http://127.0.0.1:9/api/chat.postMessage", post(""))).rejects.toMatchObject({ code: "ECONNREFUSED" });
    const timedOut = await lean(`${base}/slow`, { ...post(""), signal: AbortSignal.timeout(100) }).catch((e: unknown) => e);
    const nativeTimedOut = await native(`${base}/slow`, { ...post(""), signal: AbortSignal.timeout(100) }).catch((e: unknown) => e);
    expect((timedOut as Error).name).toBe("TimeoutError");
    expect((timedOut as Error).name).toBe((nativeTimedOut as Error).name);
  });

  it("with timeoutMs, times a request out itself (no signal needed) and leaves no timer behind once answered", async () => {
    const timed = createHttpFetch({ timeoutMs: 100 });
    const f = timed as unknown as AnyFetch;
    try {
      const timedOut = await f(`${base}/slow`, post("")).catch((e: unknown) => e);
      expect((timedOut as Error).name).toBe("TimeoutError");
      const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
      const before = timers();
      const res = await f(`${base}/ok`, post("a=1"));
      expect(res.status).toBe(200);
      // The WebClient's own timeout (AbortSignal.timeout) kept a timer armed for the whole timeout after every call.
      expect(timers()).toBe(before);
    } finally {
      timed.close();
    }
  });
});
