// The local Slack emulator: Web API, signed event delivery (HTTP or Socket Mode), slash commands, and a web page.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { Deliverer, type DeliverOnce, type DeliveryRecord } from "./delivery.js";
import { appHomeOpenedEvent, appMentionEvent, blockActionsPayload, envelope, findClickable, messageEvent, renameEvent, slashCommandPayload } from "./events.js";
import { bearer, parseArgs, readBody, sendJson } from "./http-util.js";
import { Knobs } from "./knobs.js";
import { storedModal, stateValues, submissionOutcome, TriggerIds, viewSubmissionPayload, type ModalView, type SubmittedValues } from "./modals.js";
import { RateLimits, type RateLimitRule } from "./rate-limits.js";
import { servePage } from "./page.js";
import { SocketModeServer } from "./socket-mode.js";
import { loadWorkspace, saveWorkspaceOnChange } from "./persist.js";
import { IDS, PEOPLE, WorkspaceStore, type StoredMessage } from "./store.js";
import { METHODS, type Args } from "./web-api.js";
import { preciseNow } from "./clock.js";

export type { StoredMessage } from "./store.js";
export type { RateLimitRule } from "./rate-limits.js";
export type { ModalView, SubmittedValues } from "./modals.js";

export interface LocalSlackOptions {
  port: number;
  host?: string;
  signingSecret: string;
  botToken: string;
  appToken?: string;
  deliverTo?: string;
  ackTimeoutMs?: number;
  retryDelaysMs?: number[];
  logger?: Logger;
  /** Refuse messages over Slack's limits from the start (see enforceLimits). */
  enforceLimits?: boolean;
  /**
   * The clock rate limits refill by and trigger_ids expire by (3 s after the interaction); tests pass
   * a fake one so no assertion depends on the machine's speed.
   */
  now?: () => number;
  /** Keep the workspace in this JSON file across restarts (`npm start`); unset: in memory only (tests). */
  persistPath?: string;
}

export interface SlashResult {
  status: number;
  body: unknown;
  /** Messages the app sent to response_url: resolves shortly after the first arrives (or after 10 s with none). */
  responses: Promise<unknown[]>;
  /** The first response_url message and when it arrived (preciseNow()); for latency measurements. */
  firstResponse: Promise<{ body: unknown; at: number }>;
}

export interface ClickInput {
  channel: string;
  ts: string;
  actionId: string;
  value?: string;
  user?: string;
}

export interface ClickResult {
  /** HTTP status of the app's answer (200 for a Socket Mode ack; 0: no answer in time). */
  status: number;
  body: string;
  /** The block_actions payload as sent. */
  payload: Record<string, unknown>;
}

export interface SubmitViewInput {
  /** Who presses submit (default alice); they must have a modal open. */
  user?: string;
  /** What they entered; fields left out submit what they showed (their initial value, or nothing). */
  values?: SubmittedValues;
  /** Throws unless this is the modal they have open. */
  viewId?: string;
}

export interface SubmitViewResult {
  /** HTTP status of the app's answer (200 for a Socket Mode ack; 0: no answer in time). */
  status: number;
  /** The app's ack body: parsed JSON, or the text as sent ("" for an empty ack). */
  body: unknown;
  /** The view_submission payload as sent. */
  payload: Record<string, unknown>;
  /** The app's response_action "errors": message per block_id, shown under the blocks; the modal stays open. */
  errors?: Record<string, string>;
  /** Whether the modal closed (an empty ack, `{}` or response_action "clear"). */
  closed: boolean;
}

export interface LocalSlack {
  readonly url: string;
  readonly apiUrl: string;
  readonly teamId: string;
  readonly appId: string;
  readonly botUserId: string;
  readonly botId: string;
  /** groupDm: alice, bob and Piper (an mpim). */
  readonly channels: { general: string; random: string; mobile: string; privateChannel: string; groupDm: string; dmWithPiper(userId?: string): string };
  readonly users: { alice: string; bob: string };
  setDeliveryUrl(url: string | undefined): void;
  /** Creates a channel (private, or Slack Connect: "shared") with a fresh id and returns the id. */
  createChannel(name: string, kind?: "channel" | "private" | "shared"): string;
  /** Renames a channel like a person in Slack does: Slack sends channel_rename (group_rename for a private one). */
  renameChannel(id: string, name: string): Promise<{ eventId: string }>;
  postUserMessage(input: { channel: string; user?: string; text: string; threadTs?: string }): Promise<{ ts: string; eventIds: string[] }>;
  slashCommand(input: { channel: string; user?: string; text: string; command?: string }): Promise<SlashResult>;
  openAppHome(user?: string): Promise<void>;
  /**
   * A person clicks a button of a message: `actionId` names the element (a `button` in an `actions`
   * block, `feedback_buttons` or `icon_button` in a `context_actions` block); `value` picks which of
   * a feedback pair (required there) or which of several buttons sharing an id. Delivered like Slack:
   * a signed form POST `payload=<json>` to the app's URL, or an `interactive` Socket Mode envelope;
   * one attempt, no retries. Throws when the message or element does not exist.
   */
  click(input: ClickInput, opts?: DeliverOnce): Promise<ClickResult>;
  /** The modal a person (default alice) has open, as views.open/views.update left it; undefined when none. */
  openView(user?: string): ModalView | undefined;
  /**
   * A person presses the submit button of their open modal: Slack's view_submission payload, delivered
   * like a click, and the app's ack applied as Slack does (close, errors under blocks, or update).
   * Throws when they have no modal open, or `values` names a field the modal does not have.
   */
  submitView(input: SubmitViewInput, opts?: DeliverOnce): Promise<SubmitViewResult>;
  deliver(envelope: object, opts?: DeliverOnce): Promise<{ status: number; body: string }>;
  messages(channel: string): StoredMessage[];
  replies(channel: string, threadTs: string): StoredMessage[];
  waitFor<T>(predicate: () => T | undefined | false | null, opts?: { timeoutMs?: number }): Promise<T>;
  readonly calls: ReadonlyArray<{ method: string; args: Record<string, unknown>; at: number }>;
  readonly deliveries: ReadonlyArray<DeliveryRecord>;
  homeView(user: string): unknown | undefined;
  failNext(method: string, error: string, count?: number): void;
  rateLimitNext(method: string, retryAfterSec: number, count?: number): void;
  /**
   * The next calls of `method` take `ms`, and THEN are performed: a client that gave up waiting
   * still finds the write in the workspace afterwards (what a slow Slack does).
   */
  delayNext(method: string, ms: number, count?: number): void;
  /** Resolves once no Web API call is in flight (e.g. a slow call a client already gave up on). */
  idle(): Promise<void>;
  /** The next calls of `method` answer HTTP `status` (default 500); with afterWrite the call was performed first. */
  serverErrorNext(method: string, opts?: { status?: number; afterWrite?: boolean }, count?: number): void;
  /** Slack's size limits: text over 40,000 → msg_too_long; over 50 blocks or section text over 3,000 → invalid_blocks. */
  enforceLimits(on?: boolean): void;
  /** A rate limit like Slack's tiers for one method (undefined removes it): over it, HTTP 429 with Retry-After. */
  rateLimit(method: string, rule: RateLimitRule | undefined): void;
  /** Piper leaves a channel: writes there answer not_in_channel (public) or channel_not_found (private). */
  removePiperFrom(channel: string): void;
  invitePiperTo(channel: string): void;
  close(): Promise<void>;
}

function parseAck(body: string): unknown {
  try {
    return body ? (JSON.parse(body) as unknown) : "";
  } catch {
    return body;
  }
}

export async function startLocalSlack(options: LocalSlackOptions): Promise<LocalSlack> {
  const store = new WorkspaceStore();
  if (options.persistPath) loadWorkspace(store, options.persistPath, options.logger);
  const saver = options.persistPath ? saveWorkspaceOnChange(store, options.persistPath, options.logger) : undefined;
  const knobs = new Knobs();
  const rateLimits = new RateLimits(options.now);
  const triggers = new TriggerIds(options.now ?? Date.now);
  let enforceLimits = options.enforceLimits ?? false;
  const calls: Array<{ method: string; args: Args; at: number }> = [];
  const socket = new SocketModeServer();
  const deliverer = new Deliverer(
    { signingSecret: options.signingSecret, ackTimeoutMs: options.ackTimeoutMs ?? 3_000, retryDelaysMs: options.retryDelaysMs ?? [0, 60_000, 300_000], logger: options.logger },
    socket,
  );
  deliverer.url = options.deliverTo;
  const responseWaiters = new Map<string, { user: string; channel: string; got: unknown[]; onFirst: () => void }>();
  let responseSeq = 0;
  let baseUrl = "";
  let inFlight = 0;
  const idleWaiters: Array<() => void> = [];

  const deliverMessageEvents = async (m: StoredMessage): Promise<string[]> => {
    const channel = store.channels.get(m.channel)!;
    const opts = { extShared: channel.shared };
    const envelopes = [envelope(messageEvent(m, channel), opts)];
    if (!m.bot_id && channel.kind !== "im" && m.text.includes(`<@${IDS.botUser}`)) envelopes.push(envelope(appMentionEvent(m), opts));
    await Promise.all(envelopes.map((e) => deliverer.deliverEvent(e)));
    return envelopes.map((e) => e.event_id as string);
  };

  const api = async (req: IncomingMessage, res: ServerResponse, method: string, query: URLSearchParams) => {
    inFlight++;
    try {
      await apiCall(req, res, method, query);
    } finally {
      if (--inFlight === 0) for (const resolve of idleWaiters.splice(0)) resolve();
    }
  };

  const apiCall = async (req: IncomingMessage, res: ServerResponse, method: string, query: URLSearchParams) => {
    const args = parseArgs(await readBody(req), req.headers["content-type"] ?? "", query);
    calls.push({ method, args, at: preciseNow() });
    const { delayMs, outcome } = knobs.take(method);
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    if (outcome?.kind === "rateLimit") return sendJson(res, 429, { ok: false, error: "ratelimited" }, { "retry-after": String(outcome.retryAfterSec) });
    if (outcome?.kind === "fail") return sendJson(res, 200, { ok: false, error: outcome.error });
    if (outcome?.kind === "serverError" && !outcome.afterWrite) return sendJson(res, outcome.status, { ok: false, error: "internal_error" });
    const retryAfter = rateLimits.take(method, typeof args.channel === "string" ? args.channel : undefined);
    if (retryAfter !== undefined) return sendJson(res, 429, { ok: false, error: "ratelimited" }, { "retry-after": String(retryAfter) });
    const token = bearer(req, args);
    if (method === "apps.connections.open") {
      if (!options.appToken || token !== options.appToken) return sendJson(res, 200, { ok: false, error: token ? "invalid_auth" : "not_authed" });
      return sendJson(res, 200, { ok: true, url: `${baseUrl.replace(/^http/, "ws")}/socket-mode?ticket=${responseSeq++}` });
    }
    if (!token) return sendJson(res, 200, { ok: false, error: "not_authed" });
    if (token !== options.botToken) return sendJson(res, 200, { ok: false, error: "invalid_auth" });
    const handler = METHODS[method];
    if (!handler) return sendJson(res, 200, { ok: false, error: "unknown_method", req_method: method });
    const result = handler(args, { store, onBotMessage: (m) => void deliverMessageEvents(m), socketUrl: () => baseUrl, enforceLimits, triggers });
    if (outcome?.kind === "serverError") return sendJson(res, outcome.status, { ok: false, error: "internal_error" });
    sendJson(res, 200, result);
  };

  const responseUrl = async (req: IncomingMessage, res: ServerResponse, id: string) => {
    const waiter = responseWaiters.get(id);
    if (!waiter) return sendJson(res, 404, { ok: false, error: "expired_url" });
    const body = JSON.parse((await readBody(req)) || "{}") as { response_type?: string; text?: string; blocks?: unknown[] };
    waiter.got.push(body);
    const inChannel = body.response_type === "in_channel";
    store.add({ channel: waiter.channel, ts: store.nextTs(), user: IDS.botUser, bot_id: IDS.bot, text: body.text ?? "", blocks: body.blocks, ephemeral: !inChannel, for_user: inChannel ? undefined : waiter.user });
    waiter.onFirst();
    sendJson(res, 200, { ok: true });
  };

  /** The last deliveries and Web API calls, for a failed wait to say what did happen. */
  const recentTraffic = () => {
    const deliveries = deliverer.records.slice(-8).map((d) => `  ${d.type} ${d.eventId ?? ""} attempt ${d.attempt} → ${d.status || "no ack"} in ${d.ms} ms`);
    const lastCalls = calls.slice(-12).map((c) => `  ${c.method} ${JSON.stringify(c.args, ["channel", "channel_id", "thread_ts", "ts", "text"]).slice(0, 160)}`);
    return ["deliveries (latest last):", ...deliveries, "Web API calls (latest last):", ...lastCalls].join("\n");
  };

  const slack: LocalSlack = {
    url: "",
    apiUrl: "",
    teamId: IDS.team,
    appId: IDS.app,
    botUserId: IDS.botUser,
    botId: IDS.bot,
    channels: { general: "C0GENERAL1", random: "C0RANDOM01", mobile: "C0MOBILE01", privateChannel: "G0PRIVATE1", groupDm: "G0GROUPDM1", dmWithPiper: (user = IDS.alice) => store.dmWith(user) },
    users: { alice: IDS.alice, bob: IDS.bob },
    setDeliveryUrl: (url) => void (deliverer.url = url),
    createChannel: (name, kind) => store.createChannel(name, kind).id,
    async renameChannel(id, name) {
      const channel = store.rename(id, name);
      if (!channel) throw new Error(`no channel ${id} to rename (DMs have no name)`);
      const e = envelope(renameEvent(channel), { extShared: channel.shared });
      await deliverer.deliverEvent(e);
      return { eventId: e.event_id as string };
    },
    async postUserMessage({ channel, user = IDS.alice, text, threadTs }) {
      if (!store.channels.has(channel)) throw new Error(`unknown channel ${channel}`);
      const m = store.add({ channel, ts: store.nextTs(), thread_ts: threadTs, user, text });
      return { ts: m.ts, eventIds: await deliverMessageEvents(m) };
    },
    async slashCommand({ channel, user = IDS.alice, text, command = "/piper" }) {
      const id = `r${responseSeq++}`;
      let settle!: () => void;
      let markFirst!: (v: { body: unknown; at: number }) => void;
      const firstResponse = new Promise<{ body: unknown; at: number }>((resolve) => (markFirst = resolve));
      const got: unknown[] = [];
      const responses = new Promise<unknown[]>((resolve) => {
        const timeout = setTimeout(() => resolve(got), 10_000);
        settle = () => {
          clearTimeout(timeout);
          setTimeout(() => resolve(got), 150); // gather any extra (unwanted) responses too
        };
      });
      let first = true;
      responseWaiters.set(id, {
        user,
        channel,
        got,
        onFirst: () => {
          if (!first) return;
          first = false;
          markFirst({ body: got[0], at: preciseNow() });
          settle();
        },
      });
      const payload = slashCommandPayload({ command, text, channel: store.channels.get(channel)!, user, userName: PEOPLE[user]?.name ?? user, responseUrl: `${baseUrl}/_local/response/${id}`, triggerId: triggers.issue(user) });
      if (socket.connected()) {
        const ack = await socket.send("slash_commands", payload, { retryAttempt: 0, retryReason: "", timeoutMs: options.ackTimeoutMs ?? 3_000 });
        return { status: ack ? 200 : 0, body: ack?.payload ?? null, responses, firstResponse };
      }
      const res = await deliverer.postHttp(new URLSearchParams(payload).toString(), "application/x-www-form-urlencoded");
      const body = res.contentType.includes("json") && res.body ? (JSON.parse(res.body) as unknown) : res.body;
      recordAckMessage(body, channel, user);
      return { status: res.status, body, responses, firstResponse };
    },
    async openAppHome(user = IDS.alice) {
      await deliverer.deliverEvent(envelope(appHomeOpenedEvent(user, store.dmWith(user))));
    },
    async click({ channel, ts, actionId, value, user = IDS.alice }, opts = {}) {
      const c = store.channels.get(channel);
      const message = c && store.find(channel, ts);
      if (!c || !message || (message.ephemeral && message.for_user !== user)) throw new Error(`no message ${ts} in ${channel} for ${user} to click`);
      const clicked = findClickable(message.blocks, actionId, value, store.nextTs());
      if (!clicked) throw new Error(`message ${ts} has no clickable ${actionId}${value === undefined ? "" : ` with value ${value}`}`);
      // Like a slash command's, the response_url posts into the channel (for that person, unless in_channel).
      const id = `r${responseSeq++}`;
      responseWaiters.set(id, { user, channel, got: [], onFirst: () => undefined });
      const payload = blockActionsPayload({ message, channel: c, user, userName: PEOPLE[user]?.name ?? user, action: clicked.action, responseUrl: `${baseUrl}/_local/response/${id}`, triggerId: triggers.issue(user) });
      return { ...(await deliverInteractive(payload, opts)), payload };
    },
    openView: (user = IDS.alice) => store.modal(user),
    async submitView({ user = IDS.alice, values = {}, viewId }, opts = {}) {
      const view = store.modal(user);
      if (!view || (viewId !== undefined && view.id !== viewId)) throw new Error(`${user} has no open view${viewId === undefined ? "" : ` ${viewId}`} to submit`);
      const payload = viewSubmissionPayload({ view, values: stateValues(view, values), user, userName: PEOPLE[user]?.name ?? user, triggerId: triggers.issue(user) });
      const res = await deliverInteractive(payload, opts);
      const body = parseAck(res.body);
      const outcome = submissionOutcome(res.status, body);
      // The app may have replaced the modal (views.update) while handling the submission; the ack still applies to it.
      if (store.modal(user)?.id === view.id) {
        if (outcome.kind === "close") store.setModal(user, undefined);
        if (outcome.kind === "update") store.setModal(user, storedModal(outcome.view, store.modal(user)));
      }
      return { status: res.status, body, payload, closed: outcome.kind === "close", ...(outcome.kind === "errors" ? { errors: outcome.errors } : {}) };
    },
    async deliver(env, opts = {}) {
      const res = await deliverer.postHttp(JSON.stringify(env), "application/json", opts);
      return { status: res.status, body: res.body };
    },
    messages: (channel) => store.all(channel),
    replies: (channel, threadTs) => store.thread(channel, threadTs),
    async waitFor(predicate, opts = {}) {
      // Generous by default (a bound for a busy 2-core machine, not a measure of speed), and shorter
      // than a test's 30 s so the failure is this one, with what Slack saw, rather than a bare timeout.
      const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
      for (;;) {
        const value = predicate();
        if (value !== undefined && value !== false && value !== null) return value;
        if (Date.now() > deadline) throw new Error(`waitFor: condition not met in time\n${recentTraffic()}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    calls,
    deliveries: deliverer.records,
    homeView: (user) => store.homeViews.get(user),
    failNext: (method, error, count = 1) => knobs.add(method, { kind: "fail", error }, count),
    rateLimitNext: (method, retryAfterSec, count = 1) => knobs.add(method, { kind: "rateLimit", retryAfterSec }, count),
    delayNext: (method, ms, count = 1) => knobs.add(method, { kind: "delay", ms }, count),
    serverErrorNext: (method, { status = 500, afterWrite = false } = {}, count = 1) => knobs.add(method, { kind: "serverError", status, afterWrite }, count),
    enforceLimits: (on = true) => void (enforceLimits = on),
    rateLimit: (method, rule) => rateLimits.set(method, rule),
    removePiperFrom: (channel) => void store.withoutPiper.add(channel),
    invitePiperTo: (channel) => void store.withoutPiper.delete(channel),
    idle: () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve))),
    async close() {
      deliverer.close();
      await socket.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await saver?.close();
    },
  };

  /** An interaction (click, submit) as Slack delivers it: an `interactive` envelope, or a signed form POST `payload=<json>`; one attempt. */
  async function deliverInteractive(payload: Record<string, unknown>, opts: DeliverOnce): Promise<{ status: number; body: string }> {
    if (socket.connected()) {
      const ack = await socket.send("interactive", payload, { retryAttempt: 0, retryReason: "", timeoutMs: options.ackTimeoutMs ?? 3_000 });
      return { status: ack ? 200 : 0, body: ack?.payload === undefined ? "" : JSON.stringify(ack.payload) };
    }
    const res = await deliverer.postHttp(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), "application/x-www-form-urlencoded", opts);
    return { status: res.status, body: res.body };
  }

  /** A slash command answered in the ack shows up as an ephemeral message, like in Slack. */
  function recordAckMessage(body: unknown, channel: string, user: string): void {
    if (typeof body !== "object" || body === null || !("text" in body)) return;
    const b = body as { text?: string; blocks?: unknown[]; response_type?: string };
    store.add({ channel, ts: store.nextTs(), user: IDS.botUser, bot_id: IDS.bot, text: b.text ?? "", blocks: b.blocks, ephemeral: b.response_type !== "in_channel", for_user: user });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://local");
    const apiMatch = /^\/api\/([\w.]+)$/.exec(url.pathname);
    const handle = apiMatch
      ? api(req, res, apiMatch[1]!, url.searchParams)
      : url.pathname.startsWith("/_local/response/")
        ? responseUrl(req, res, url.pathname.split("/").pop()!)
        : servePage(req, res, url, { store, slack });
    handle.catch((err: unknown) => {
      options.logger?.error({ err }, "local slack request failed");
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: "internal_error" });
    });
  });
  server.on("upgrade", (req, sock, head) => {
    if ((req.url ?? "").startsWith("/socket-mode")) socket.handleUpgrade(req, sock, head);
    else sock.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://${options.host ?? "127.0.0.1"}:${port}`;
  Object.assign(slack, { url: baseUrl, apiUrl: `${baseUrl}/api/` });
  return slack;
}
