// Offered-load steps: mentions at a fixed rate over many channels first seen during the step, delivered
// by the target's emulator; acks from its delivery records, replies from the Web API calls it receives.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { QueueFullError } from "../src/slack/work-queue.js";
import { startCpuMeter } from "./cpu.js";
import { summarize, type Summary } from "./stats.js";
import type { Target } from "./targets.js";
import { preciseNow } from "../src/local/clock.js";
import { collectDriverGarbage, watchDriverGc } from "./driver-gc.js";

export interface StepOptions {
  rate: number;
  seconds: number;
  /** Mentions are spread round-robin over this many fresh channels (fewer if fewer mentions are sent). */
  channels: number;
  /** A mention with no reply within this long of being sent is lost. */
  replyBoundMs: number;
  /** Prefix for the step's channel names. */
  label: string;
  /**
   * Plain messages (no mention) per second posted during the step into a separate set of fresh channels
   * (the ambient traffic every app in a busy workspace sees); 0 or unset: none. Replies are measured for
   * the mentions only; the ambient messages' acks are reported apart.
   */
  ambientRate?: number;
  /** Fresh channels the ambient messages are spread over round-robin (default 200). */
  ambientChannels?: number;
}

/** The ambient traffic of a step: plain messages nobody expects an answer to, but which must be acked. */
export interface AmbientLoad {
  rate: number;
  sent: number;
  sentPerSecond: number;
  /** The channels they went to, so what the app made of them can be read from its database afterwards. */
  channelIds: string[];
  /** Deliveries of the ambient messages (one each: a plain message is a single `message` event). */
  events: number;
  acked: number;
  lateOrFailedAcks: number;
  /** Answered 2xx at all, late or not: the app surely read these; a timed-out one it may or may not have. */
  answered2xx: number;
  ack: Summary;
}

export interface LoadStep {
  target: string;
  rate: number;
  seconds: number;
  channels: number;
  sent: number;
  /** The rate the driver actually achieved while sending. */
  sentPerSecond: number;
  /** Event deliveries for the mentions: Slack sends two per mention (message and app_mention). */
  events: number;
  acked: number;
  /** Deliveries not acked with a 2xx within 3 s: Slack would retry them. */
  lateOrFailedAcks: number;
  /** Mentions whose first message in their thread was a real reply (a progress placeholder counts). */
  replies: number;
  /** Mentions whose thread got a second chat.postMessage from the app by the end of the step: answered twice. */
  answeredTwice: number;
  /** Mentions answered "I'm busy" (work queue full): refused, so never answered. */
  busy: number;
  /** Mentions with no reply within the bound (busy ones included). */
  lost: number;
  /** Over every delivery; a late or failed ack counts as never acked (∞). */
  ack: Summary;
  /** Mention sent → first chat.postMessage in its thread, over every mention; lost ones count as ∞. */
  reply: Summary;
  /** From the last mention sent until the target went quiet. */
  drainMs: number;
  /** False when the target was still working when the bench gave up waiting. */
  idle: boolean;
  /** p99 event-loop delay of the bench process while sending: high means the driver, not the target, was late. */
  driverLagP99Ms: number;
  /**
   * The bench process's own major-GC pauses from the first mention until the target went quiet (bench/driver-gc.ts):
   * replies that arrived during one were timed late by the bench, not answered late by the target.
   */
  driverMajorGcMs: number;
  /** CPU the target's process used from the first mention until it went quiet, per mention sent. */
  cpuMsPerMention: number;
  /** CPU the PostgreSQL server spent on the target's database over the same span, per mention (0 on PGlite). */
  databaseCpuMsPerMention: number;
  /** CPU the bench process (driver and emulator) used over the same span, per mention sent. */
  driverCpuMsPerMention: number;
  /** CPU cores' worth of work by other processes on the machine (not the target, its database, or the bench) over the step. */
  otherCores: number;
  /** Warn-or-worse log lines the target wrote during the step. */
  warnings: number;
  /** Present when the step carried ambient traffic. cpu figures above then include its cost (still divided by mentions). */
  ambient?: AmbientLoad;
}

export const ACK_DEADLINE_MS = 3_000;
/** No Web API call from the target for this long, with every reply seen, means it is idle. */
const QUIET_MS = 500;
/** After the reply bound, how much longer the bench waits for a backlogged target to finish before moving on. */
const DRAIN_CAP_MS = 30_000;
const BUSY_TEXT = new QueueFullError("").userMessage;

/**
 * Traffic that brings an app to its steady state before anything is measured. V8 optimizes a function only
 * after many calls: after a warm-up of 40 mentions, Piper's first 200/s step compiled 340 functions (1.8 s of
 * CPU on V8's helper threads, beside the step; reply p99 35 ms) against 40–70 in later rounds (7–14 ms). A
 * process that has served Slack for a minute has done that; the bench measures that process.
 */
export const WARM_UP = { rate: 100, seconds: 8, channels: 400 } as const;

export function warmUp(target: Target): Promise<LoadStep> {
  return runStep(target, { ...WARM_UP, replyBoundMs: 15_000, label: "warmup" });
}

export async function runStep(target: Target, options: StepOptions): Promise<LoadStep> {
  const { slack } = target;
  const { rate, seconds, replyBoundMs } = options;
  const total = Math.max(1, Math.round(rate * seconds));
  const channels = Array.from({ length: Math.min(options.channels, total) }, (_, i) => slack.createChannel(`${options.label}-${i}`));
  const ambientRate = options.ambientRate ?? 0;
  const ambientTotal = ambientRate > 0 ? Math.max(1, Math.round(ambientRate * seconds)) : 0;
  const ambientChannels = Array.from({ length: ambientTotal > 0 ? Math.min(options.ambientChannels ?? 200, ambientTotal) : 0 }, (_, i) => slack.createChannel(`${options.label}-ambient-${i}`));
  const firstDelivery = slack.deliveries.length;
  const replies = new ThreadReplies(slack.calls);
  const warningsBefore = target.warnings();
  collectDriverGarbage();
  const driverGc = watchDriverGc();
  const lag = monitorEventLoopDelay({ resolution: 5 });
  const cpuMeter = await startCpuMeter(target);

  lag.enable();
  const sent: Array<{ key: string; at: number; eventIds: string[] }> = [];
  const inflight: Array<Promise<void>> = [];
  const started = Date.now();
  // Ambient messages go out on their own schedule beside the mentions, from the same event loop (so the
  // driver lag below covers both). Their event ids are kept apart: no reply is expected or looked for.
  const ambientEventIds: string[] = [];
  let lastAmbientAt = started;
  const ambientLoop = (async () => {
    const posts: Array<Promise<void>> = [];
    for (let j = 0; j < ambientTotal; j++) {
      const wait = started + (j * 1000) / ambientRate - Date.now();
      if (wait > 0) await sleep(wait);
      lastAmbientAt = Date.now();
      posts.push(slack.postUserMessage({ channel: ambientChannels[j % ambientChannels.length]!, text: AMBIENT_TEXTS[j % AMBIENT_TEXTS.length]! }).then(({ eventIds }) => void ambientEventIds.push(...eventIds)));
    }
    await Promise.all(posts);
  })();
  let lastSendAt = started;
  for (let i = 0; i < total; i++) {
    const wait = started + (i * 1000) / rate - Date.now();
    if (wait > 0) await sleep(wait);
    const channel = channels[i % channels.length]!;
    const at = (lastSendAt = preciseNow());
    inflight.push(
      // A greeting takes the pre-classified path: the goal compares the routing graph's fast path with bare Bolt.
      slack.postUserMessage({ channel, text: `<@${slack.botUserId}> hi` }).then(({ ts, eventIds }) => {
        sent.push({ key: `${channel}:${ts}`, at, eventIds });
      }),
    );
  }
  const lastMentionAt = lastSendAt;
  await ambientLoop;
  lag.disable();
  await Promise.all(inflight);
  lastSendAt = Math.max(lastSendAt, lastAmbientAt);
  const drain = await waitUntilIdle(replies, () => sent.every((s) => replies.first.has(s.key)), lastSendAt, replyBoundMs);
  const { cpuMs, databaseCpuMs, driverCpuMs, otherCores } = await cpuMeter.read(started);
  const driverGcPauses = await driverGc.stop();

  const mentionEvents = new Set(sent.flatMap((s) => s.eventIds));
  const deliveries = slack.deliveries.slice(firstDelivery).filter((d) => d.attempt === 0 && d.eventId !== undefined && mentionEvents.has(d.eventId));
  const ackedInTime = (d: { status: number; ms: number }) => d.status >= 200 && d.status < 300 && d.ms <= ACK_DEADLINE_MS;
  let ambient: AmbientLoad | undefined;
  if (ambientTotal > 0) {
    const ids = new Set(ambientEventIds);
    const ds = slack.deliveries.slice(firstDelivery).filter((d) => d.attempt === 0 && d.eventId !== undefined && ids.has(d.eventId));
    ambient = {
      rate: ambientRate,
      sent: ambientTotal,
      sentPerSecond: ambientTotal > 1 ? ((ambientTotal - 1) * 1000) / Math.max(1, lastAmbientAt - started) : ambientRate,
      channelIds: ambientChannels,
      events: ds.length,
      acked: ds.filter(ackedInTime).length,
      lateOrFailedAcks: ds.filter((d) => !ackedInTime(d)).length,
      answered2xx: ds.filter((d) => d.status >= 200 && d.status < 300).length,
      ack: summarize(ds.map((d) => (ackedInTime(d) ? d.ms : Number.POSITIVE_INFINITY))),
    };
  }
  let busy = 0;
  const replyMs = sent.map((s) => {
    const reply = replies.first.get(s.key);
    if (reply?.text.includes(BUSY_TEXT)) busy++;
    return reply && !reply.text.includes(BUSY_TEXT) && reply.at - s.at <= replyBoundMs ? reply.at - s.at : Number.POSITIVE_INFINITY;
  });
  const answered = replyMs.filter(Number.isFinite).length;
  return {
    target: target.name,
    rate,
    seconds,
    channels: channels.length,
    sent: sent.length,
    sentPerSecond: total > 1 ? ((total - 1) * 1000) / Math.max(1, lastMentionAt - started) : rate,
    events: deliveries.length,
    acked: deliveries.filter(ackedInTime).length,
    lateOrFailedAcks: deliveries.filter((d) => !ackedInTime(d)).length,
    replies: answered,
    answeredTwice: sent.filter((s) => replies.repeated.has(s.key)).length,
    busy,
    lost: sent.length - answered,
    ack: summarize(deliveries.map((d) => (ackedInTime(d) ? d.ms : Number.POSITIVE_INFINITY))),
    reply: summarize(replyMs),
    drainMs: drain.ms,
    idle: drain.idle,
    driverLagP99Ms: lag.percentile(99) / 1e6,
    driverMajorGcMs: driverGcPauses.majorMs,
    cpuMsPerMention: cpuMs / total,
    databaseCpuMsPerMention: databaseCpuMs / total,
    driverCpuMsPerMention: driverCpuMs / total,
    otherCores: Math.max(0, otherCores),
    warnings: target.warnings() - warningsBefore,
    ...(ambient ? { ambient } : {}),
  };
}

/** What people write in channels where nobody mentions Piper: questions, urgency, chatter (the model's signals get exercised). */
const AMBIENT_TEXTS = ["ok", "who owns billing?", "prod is down", "deploying now", "can someone review my PR", "🔥 outage in checkout", "thanks!", "lunch?"];

export interface HeadOfLine {
  target: string;
  /** Mention in the quiet channel → its reply, sent `gapMs` after `burst` mentions in the busy channel. */
  otherChannelReplyMs: number;
  /** First busy-channel mention → the last of their replies. */
  busyChannelAllRepliedMs: number;
  busyChannelReplies: number;
}

/**
 * `burst` mentions in one channel, then one in another `gapMs` later: how long does the other channel
 * wait? Per-channel pacing must delay only the busy channel.
 */
export async function headOfLine(target: Target, burst = 20, gapMs = 100, boundMs = 30_000): Promise<HeadOfLine> {
  const { slack } = target;
  const busyChannel = slack.createChannel("hol-busy");
  const otherChannel = slack.createChannel("hol-other");
  const replies = new ThreadReplies(slack.calls);
  const started = Date.now();
  const busySent = await Promise.all(
    Array.from({ length: burst }, (_, i) => slack.postUserMessage({ channel: busyChannel, text: `<@${slack.botUserId}> busy #${i}` }).then(({ ts }) => `${busyChannel}:${ts}`)),
  );
  await sleep(Math.max(0, started + gapMs - Date.now()));
  const otherAt = Date.now();
  const { ts } = await slack.postUserMessage({ channel: otherChannel, text: `<@${slack.botUserId}> other` });
  const otherKey = `${otherChannel}:${ts}`;
  await waitUntilIdle(replies, () => [...busySent, otherKey].every((k) => replies.first.has(k)), otherAt, boundMs);
  const other = replies.first.get(otherKey);
  const busyAts = busySent.flatMap((k) => (replies.first.has(k) ? [replies.first.get(k)!.at] : []));
  return {
    target: target.name,
    otherChannelReplyMs: other ? other.at - otherAt : Number.POSITIVE_INFINITY,
    busyChannelAllRepliedMs: busyAts.length === burst ? Math.max(...busyAts) - started : Number.POSITIVE_INFINITY,
    busyChannelReplies: busyAts.length,
  };
}

/** Waits until every reply is in (or the bound has passed) and the target has gone quiet. */
async function waitUntilIdle(replies: ThreadReplies, allReplied: () => boolean, lastSendAt: number, replyBoundMs: number): Promise<{ ms: number; idle: boolean }> {
  const giveUpAt = lastSendAt + replyBoundMs + DRAIN_CAP_MS;
  for (;;) {
    await sleep(50);
    replies.scan();
    const now = Date.now();
    const quiet = now - Math.max(replies.lastCallAt(), lastSendAt) >= QUIET_MS;
    if (quiet && (allReplied() || now >= lastSendAt + replyBoundMs)) return { ms: now - lastSendAt, idle: true };
    if (now >= giveUpAt) return { ms: now - lastSendAt, idle: false };
  }
}

/** The first chat.postMessage in each thread, read incrementally from the emulator's call log. */
export class ThreadReplies {
  readonly first = new Map<string, { at: number; text: string }>();
  /** Threads given more than one chat.postMessage: a mention answered twice (a placeholder is edited, not posted again). */
  readonly repeated = new Set<string>();
  #next: number;

  constructor(private readonly calls: ReadonlyArray<{ method: string; args: Record<string, unknown>; at: number }>) {
    this.#next = calls.length;
  }

  scan(): void {
    for (; this.#next < this.calls.length; this.#next++) {
      const { method, args, at } = this.calls[this.#next]!;
      if (method !== "chat.postMessage" || typeof args.thread_ts !== "string") continue;
      const key = `${String(args.channel)}:${args.thread_ts}`;
      if (this.first.has(key)) this.repeated.add(key);
      else this.first.set(key, { at, text: typeof args.text === "string" ? args.text : "" });
    }
  }

  lastCallAt(): number {
    return this.calls.at(-1)?.at ?? 0;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
