import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { WebClient, ErrorCode } from "@slack/web-api";
import { afterEach, describe, expect, it } from "vitest";
import { startLocalSlack, type LocalSlack } from "../../src/local/index.js";

const SECRET = "emulator-test-secret";
const TOKEN = "xoxb-emulator-test";

interface Received {
  headers: IncomingMessage["headers"];
  body: string;
}

/** A bare endpoint that records what Slack sends and answers with the status (and delay) a test asks for. */
async function endpoint(answer: (n: number) => { status: number; delayMs?: number }): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    received.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
    const { status, delayMs } = answer(received.length);
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    if (!res.destroyed) res.writeHead(status).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`, received, server };
}

describe("the local Slack emulator", () => {
  const cleanups: Array<() => Promise<unknown> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function emulator(extra: Partial<Parameters<typeof startLocalSlack>[0]> = {}): Promise<LocalSlack> {
    const slack = await startLocalSlack({ port: 0, signingSecret: SECRET, botToken: TOKEN, retryDelaysMs: [20, 40, 60], ackTimeoutMs: 200, ...extra });
    cleanups.push(() => slack.close());
    return slack;
  }

  it("signs deliveries exactly as Slack does (v0 HMAC-SHA256 of v0:timestamp:body)", async () => {
    const app = await endpoint(() => ({ status: 200 }));
    cleanups.push(() => void app.server.close());
    const slack = await emulator({ deliverTo: app.url });
    await slack.postUserMessage({ channel: slack.channels.general, text: "hello" });
    // A cold first request can outlast the 200 ms ack deadline on a busy machine; then the retry is what arrives.
    const { headers, body } = await slack.waitFor(() => app.received[0]);
    const expected = `v0=${createHmac("sha256", SECRET).update(`v0:${headers["x-slack-request-timestamp"]}:${body}`).digest("hex")}`;
    expect(headers["x-slack-signature"]).toBe(expected);
    expect(Math.abs(Number(headers["x-slack-request-timestamp"]) - Date.now() / 1000)).toBeLessThan(60);
    const envelope = JSON.parse(body) as { type: string; event_id: string; team_id: string; api_app_id: string; event: { type: string; channel_type: string } };
    expect(envelope).toMatchObject({ type: "event_callback", team_id: slack.teamId, api_app_id: slack.appId, event: { type: "message", channel_type: "channel" } });
    expect(envelope.event_id).toMatch(/^Ev[0-9A-F]+$/);
  });

  it("a mention produces both a message event and an app_mention, each with its own event_id", async () => {
    const app = await endpoint(() => ({ status: 200 }));
    cleanups.push(() => void app.server.close());
    const slack = await emulator({ deliverTo: app.url });
    const { eventIds } = await slack.postUserMessage({ channel: slack.channels.general, text: `<@${slack.botUserId}> hi` });
    expect(new Set(eventIds).size).toBe(2);
    const types = app.received.map((r) => (JSON.parse(r.body) as { event: { type: string } }).event.type).sort();
    expect(types).toEqual(["app_mention", "message"]);
  });

  it("redelivers an event that was not acked in time, with x-slack-retry-num and x-slack-retry-reason, at most 3 times", async () => {
    const app = await endpoint(() => ({ status: 200, delayMs: 400 })); // slower than the 200 ms ack deadline
    cleanups.push(() => void app.server.close());
    const slack = await emulator({ deliverTo: app.url });
    await slack.postUserMessage({ channel: slack.channels.dmWithPiper(), text: "hello" });
    await slack.waitFor(() => app.received.length === 4);
    await new Promise((r) => setTimeout(r, 300));
    expect(app.received).toHaveLength(4);
    const ids = new Set(app.received.map((r) => (JSON.parse(r.body) as { event_id: string }).event_id));
    expect(ids.size).toBe(1);
    expect(app.received.map((r) => r.headers["x-slack-retry-num"])).toEqual([undefined, "1", "2", "3"]);
    expect(app.received.slice(1).every((r) => r.headers["x-slack-retry-reason"] === "http_timeout")).toBe(true);
  });

  it("redelivers after an HTTP error with reason http_error, and stops once acked", async () => {
    const app = await endpoint((n) => ({ status: n === 1 ? 500 : 200 }));
    cleanups.push(() => void app.server.close());
    const slack = await emulator({ deliverTo: app.url });
    await slack.postUserMessage({ channel: slack.channels.random, text: "hello" });
    await slack.waitFor(() => app.received.length === 2);
    await new Promise((r) => setTimeout(r, 150));
    expect(app.received).toHaveLength(2);
    expect(app.received[1]!.headers["x-slack-retry-reason"]).toBe("http_error");
  });

  it("answers Web API errors the Slack way: HTTP 200 with ok:false", async () => {
    const slack = await emulator();
    const res = await fetch(`${slack.apiUrl}chat.postMessage`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/x-www-form-urlencoded" }, body: "channel=C404&text=hi" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: false, error: "channel_not_found" });
    const bad = await fetch(`${slack.apiUrl}auth.test`, { method: "POST", headers: { authorization: "Bearer xoxb-wrong" } });
    expect(await bad.json()).toEqual({ ok: false, error: "invalid_auth" });
    const unknown = await fetch(`${slack.apiUrl}nope.nope`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}` } });
    expect(await unknown.json()).toMatchObject({ ok: false, error: "unknown_method" });
  });

  it("the real WebClient sees a knob's 429 with Retry-After as a rate-limit error", async () => {
    const slack = await emulator();
    slack.rateLimitNext("chat.postMessage", 7);
    const client = new WebClient(TOKEN, { slackApiUrl: slack.apiUrl, rejectRateLimitedCalls: true, retryConfig: { retries: 0 } });
    const err = (await client.chat.postMessage({ channel: slack.channels.general, text: "hi" }).catch((e: unknown) => e)) as { code: string; retryAfter: number };
    expect(err.code).toBe(ErrorCode.RateLimitedError);
    expect(err.retryAfter).toBe(7);
    const ok = await client.chat.postMessage({ channel: slack.channels.general, text: "hi" });
    expect(ok.ok).toBe(true);
  });

  it("keeps threads: conversations.replies returns the parent and its replies in order", async () => {
    const slack = await emulator();
    const root = await slack.postUserMessage({ channel: slack.channels.general, text: "root" });
    await slack.postUserMessage({ channel: slack.channels.general, threadTs: root.ts, text: "one" });
    await slack.postUserMessage({ channel: slack.channels.general, threadTs: root.ts, text: "two" });
    const client = new WebClient(TOKEN, { slackApiUrl: slack.apiUrl });
    const res = await client.conversations.replies({ channel: slack.channels.general, ts: root.ts });
    expect(res.messages?.map((m) => m.text)).toEqual(["root", "one", "two"]);
    expect(res.messages?.[0]).toMatchObject({ reply_count: 2, thread_ts: root.ts });
  });

  it("a wait that runs out says what Slack saw: the latest deliveries and Web API calls", async () => {
    const app = await endpoint(() => ({ status: 200 }));
    cleanups.push(() => void app.server.close());
    const slack = await emulator({ deliverTo: app.url });
    const client = new WebClient(TOKEN, { slackApiUrl: slack.apiUrl });
    await client.chat.postMessage({ channel: slack.channels.random, text: "seen by the emulator" });
    await slack.postUserMessage({ channel: slack.channels.general, text: "hello" });
    const waited = slack.waitFor(() => false, { timeoutMs: 50 });
    await expect(waited).rejects.toThrow(/condition not met in time/);
    const message = await waited.catch((err: Error) => err.message);
    expect(message).toMatch(/chat\.postMessage .*C0RANDOM01.*seen by the emulator/);
    expect(message).toMatch(/message \S+ attempt 0 → (200|no ack)/);
  });
});
