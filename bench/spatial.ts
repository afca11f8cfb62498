// The spatial layer under load (issue 11): how many ambient messages a second Piper folds into its rooms'
// attention state, database included; how long ranking many rooms takes; and whether ambient traffic
// slows the answer to a mention.
import { monitorEventLoopDelay } from "node:perf_hooks";
import pg from "pg";
import { openDatabase } from "../src/db/index.js";
import { createLogger } from "../src/logger.js";
import { measureObserve, measureRanking } from "./attention.js";
import { startCpuMeter } from "./cpu.js";
import { REPLY_P99_LIMIT_RATIO, type GoalVerdict } from "./goals.js";
import { ACK_DEADLINE_MS, runStep, type LoadStep } from "./slack-load.js";
import { formatNumber as fmt, summarize, type Summary } from "./stats.js";
import type { BenchDatabase, Target } from "./targets.js";

export const RANK_SIZES = [10_000, 100_000];
export const RANK_LIMIT_MS = 50;
export const RANK_GOAL_ROOMS = 100_000;
/** The mention rate the latency-with-ambient steps run at (the load goal's rate). */
export const SPATIAL_MENTION_RATE = 200;
/** Posts kept in flight by the throughput run: the emulator delivers as fast as the app acks. */
export const AMBIENT_CONCURRENCY = 64;
/** Piper's room store writes changed rooms a second after the first change; the throughput run's CPU window covers one write. */
const ROOM_FLUSH_WAIT_MS = 1_500;
const QUIET_MS = 500;
const DRAIN_CAP_MS = 30_000;

export interface SpatialOptions {
  seconds: number;
  /** Fresh channels the ambient messages are spread over. */
  ambientChannels: number;
  /** Ambient messages per second = this × the mention rate, in the latency steps. */
  ambientMultiplier: number;
  replyBoundMs: number;
}

/** Plain messages offered as fast as the emulator delivers them, and what the app made of them. */
export interface AmbientThroughput {
  target: string;
  seconds: number;
  channels: number;
  concurrency: number;
  /** Messages posted (each one `message` event, delivered once: no redelivery). */
  offered: number;
  offeredPerSecond: number;
  acked: number;
  lateOrFailedAcks: number;
  ack: Summary;
  /** Sum of the rooms' `attentionState.seen` over the run's channels, read from the app's database after it stopped; undefined for the bare app. */
  folded?: number;
  /** offered − folded (must be 0). */
  lost?: number;
  /** folded ÷ the seconds messages were offered. */
  foldedPerSecond?: number;
  /** CPU of the app from the first message until it went quiet and its rooms were written, per message offered. */
  cpuMsPerEvent: number;
  databaseCpuMsPerEvent: number;
  driverCpuMsPerEvent: number;
  driverLagP99Ms: number;
  otherCores: number;
  /** Not written to results.json (see toJSON below). */
  channelIds: string[];
}

export interface SpatialFigures {
  ranking: Array<{ rooms: number; msPerRank: number }>;
  /** The pure model alone, in the bench process: the ceiling the whole path is measured against. */
  observeEventsPerSecond: number;
  throughput: AmbientThroughput[];
  /** Mentions at SPATIAL_MENTION_RATE without and with ambient traffic, each target. */
  latency: LoadStep[];
  /** Ambient messages of the latency steps folded in, by target (read like the throughput run's). */
  latencyAmbientFolded: Record<string, number>;
  verdicts: GoalVerdict[];
}

/** The pure parts (no app): run while the machine is otherwise quiet. */
export function measureAttentionCore(): Pick<SpatialFigures, "ranking" | "observeEventsPerSecond"> {
  return { ranking: measureRanking(RANK_SIZES), observeEventsPerSecond: measureObserve().eventsPerSecond };
}

/** Closed loop: AMBIENT_CONCURRENCY posts in flight for `seconds`, into `channels` fresh channels, no mention anywhere. */
export async function measureAmbientThroughput(target: Target, options: { seconds: number; channels: number; label: string }): Promise<AmbientThroughput> {
  const { slack } = target;
  const channelIds = Array.from({ length: options.channels }, (_, i) => slack.createChannel(`${options.label}-${i}`));
  const firstDelivery = slack.deliveries.length;
  const lag = monitorEventLoopDelay({ resolution: 5 });
  const cpuMeter = await startCpuMeter(target);
  const eventIds = new Set<string>();
  let offered = 0;
  lag.enable();
  const started = Date.now();
  const until = started + options.seconds * 1000;
  let lastSendAt = started;
  await Promise.all(
    Array.from({ length: AMBIENT_CONCURRENCY }, async () => {
      while (Date.now() < until) {
        const i = offered++;
        lastSendAt = Date.now();
        const { eventIds: ids } = await slack.postUserMessage({ channel: channelIds[i % channelIds.length]!, user: i % 2 === 0 ? slack.users.alice : slack.users.bob, text: TEXTS[i % TEXTS.length]! });
        for (const id of ids) eventIds.add(id);
      }
    }),
  );
  lag.disable();
  const sendingMs = Math.max(1, lastSendAt - started);
  // Quiet (no Web API call, e.g. conversations.info for a new room, for QUIET_MS) and one room-store write later.
  const giveUpAt = Date.now() + DRAIN_CAP_MS;
  for (;;) {
    await sleep(50);
    const now = Date.now();
    const lastCall = slack.calls.at(-1)?.at ?? 0;
    if ((now - Math.max(lastCall, lastSendAt) >= QUIET_MS && now - lastSendAt >= ROOM_FLUSH_WAIT_MS) || now >= giveUpAt) break;
  }
  const { cpuMs, databaseCpuMs, driverCpuMs, otherCores } = await cpuMeter.read(started);
  const ds = slack.deliveries.slice(firstDelivery).filter((d) => d.attempt === 0 && d.eventId !== undefined && eventIds.has(d.eventId));
  const ackedInTime = (d: { status: number; ms: number }) => d.status >= 200 && d.status < 300 && d.ms <= ACK_DEADLINE_MS;
  return {
    target: target.name,
    seconds: options.seconds,
    channels: channelIds.length,
    concurrency: AMBIENT_CONCURRENCY,
    offered,
    offeredPerSecond: (offered * 1000) / sendingMs,
    acked: ds.filter(ackedInTime).length,
    lateOrFailedAcks: ds.filter((d) => !ackedInTime(d)).length,
    ack: summarize(ds.map((d) => (ackedInTime(d) ? d.ms : Number.POSITIVE_INFINITY))),
    cpuMsPerEvent: cpuMs / Math.max(1, offered),
    databaseCpuMsPerEvent: databaseCpuMs / Math.max(1, offered),
    driverCpuMsPerEvent: driverCpuMs / Math.max(1, offered),
    driverLagP99Ms: lag.percentile(99) / 1e6,
    otherCores: Math.max(0, otherCores),
    channelIds,
  };
}

/** Mentions at SPATIAL_MENTION_RATE, with ambient traffic at `multiplier` × that rate into other channels. */
export function mentionsWithAmbient(target: Target, options: SpatialOptions, label: string): Promise<LoadStep> {
  const rate = SPATIAL_MENTION_RATE;
  return runStep(target, {
    rate,
    seconds: options.seconds,
    channels: 1_000,
    replyBoundMs: options.replyBoundMs,
    label,
    ambientRate: options.ambientMultiplier * rate,
    ambientChannels: options.ambientChannels,
  });
}

/**
 * Each room's `attentionState.seen` (messages the model folded in) for the given channels, from the
 * app's database. Call only after the app exited: a PGlite folder has one owner at a time.
 */
export async function readSeen(database: BenchDatabase, channelIds: string[]): Promise<Map<string, number>> {
  const sql = `SELECT r."slackChannelId" AS channel, COALESCE((r."attentionState"->>'seen')::bigint, 0) AS seen FROM "Room" r WHERE r."slackChannelId" = ANY($1::text[])`;
  let rows: Array<Record<string, unknown>>;
  if (database.kind === "pglite") {
    const db = await openDatabase({ kind: "pglite", dataDir: database.dataDir }, createLogger({ level: "silent" }), { migrate: false });
    try {
      ({ rows } = await db.sql.executeSql(sql, [channelIds]));
    } finally {
      await db.close();
    }
  } else {
    const client = new pg.Client({ connectionString: database.url, connectionTimeoutMillis: 5_000 });
    await client.connect();
    try {
      ({ rows } = await client.query(sql, [channelIds]));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return new Map(rows.map((r) => [String(r.channel), Number(r.seen)]));
}

/** Fills in folded/lost from what was read, and the latency steps' ambient messages folded in. */
export function settleFolded(figures: SpatialFigures, target: string, seen: Map<string, number>): void {
  const sum = (ids: string[]) => ids.reduce((n, id) => n + (seen.get(id) ?? 0), 0);
  for (const t of figures.throughput.filter((x) => x.target === target)) {
    t.folded = sum(t.channelIds);
    t.lost = t.offered - t.folded;
    t.foldedPerSecond = t.offeredPerSecond > 0 ? (t.folded / t.offered) * t.offeredPerSecond : 0;
  }
  const withAmbient = figures.latency.filter((s) => s.target === target && s.ambient);
  if (withAmbient.length > 0) figures.latencyAmbientFolded[target] = sum(withAmbient.flatMap((s) => s.ambient!.channelIds));
}

export function judgeSpatial(figures: SpatialFigures, pipers: string[], bare: string, ambientMultiplier: number): GoalVerdict[] {
  const verdicts: GoalVerdict[] = [];
  const rank = figures.ranking.find((r) => r.rooms === RANK_GOAL_ROOMS);
  verdicts.push({
    target: "spatial",
    goal: `rank ${RANK_GOAL_ROOMS.toLocaleString("en")} rooms < ${RANK_LIMIT_MS} ms`,
    pass: rank ? rank.msPerRank < RANK_LIMIT_MS : undefined,
    detail: rank ? `${fmt(rank.msPerRank)} ms (median of 9)` : "not measured",
  });
  const ambientRate = ambientMultiplier * SPATIAL_MENTION_RATE;
  const bareAmbient = figures.latency.find((s) => s.target === bare && s.ambient);
  for (const target of pipers) {
    // Judged on the closed-loop run, where every message offered was delivered and acked. In the latency
    // steps an overloaded app (or driver) lets deliveries time out, which Slack would retry and the bench
    // does not: those figures are shown beside it, not judged.
    const runs = figures.throughput.filter((t) => t.target === target);
    const steps = figures.latency.filter((s) => s.target === target && s.ambient);
    const offered = runs.reduce((n, t) => n + t.offered, 0);
    const unread = runs.some((t) => t.folded === undefined);
    const folded = runs.reduce((n, t) => n + (t.folded ?? 0), 0);
    const during = figures.latencyAmbientFolded[target];
    const duringMentions =
      steps.length > 0 && during !== undefined
        ? `; with mentions: ${during} of ${steps.reduce((n, s) => n + s.ambient!.sent, 0)} folded in, ${steps.reduce((n, s) => n + s.ambient!.answered2xx, 0)} answered 2xx (the rest timed out: Slack would retry them)`
        : "";
    verdicts.push({
      target,
      goal: "no ambient message lost (each folded into its room)",
      pass: offered === 0 || unread ? undefined : folded === offered,
      detail: offered === 0 ? "none offered" : unread ? "its database could not be read" : `${folded} of ${offered} folded in, ${offered - folded} lost${duringMentions}`,
    });
    const step = steps[0];
    const goal = `reply p99 at ${SPATIAL_MENTION_RATE}/s + ${ambientRate}/s ambient ≤ ${REPLY_P99_LIMIT_RATIO} × bare's (same traffic)`;
    if (!step || !bareAmbient) verdicts.push({ target, goal, pass: undefined, detail: "not measured" });
    else if (!Number.isFinite(bareAmbient.reply.p99)) verdicts.push({ target, goal, pass: undefined, detail: `the bare app itself lost ${bareAmbient.lost} replies: no floor to compare with` });
    else {
      const ratio = step.reply.p99 / bareAmbient.reply.p99;
      verdicts.push({ target, goal, pass: ratio <= REPLY_P99_LIMIT_RATIO, detail: `${fmt(ratio)}× (${fmt(step.reply.p99)} ms vs ${fmt(bareAmbient.reply.p99)} ms)` });
    }
  }
  return verdicts;
}

export function renderSpatial(f: SpatialFigures, bare: string, table: (head: string[], rows: Array<Array<string | number>>) => string): string[] {
  const out: string[] = [];
  out.push(`Attention model — ranking synthetic rooms (src/spatial/navigator.ts rankRooms, top 20, median of 9); the model alone folds ${Math.round(f.observeEventsPerSecond).toLocaleString("en")} events/s in the bench process`);
  out.push(table(["rooms", "ms per rank", `goal (${RANK_GOAL_ROOMS.toLocaleString("en")}: < ${RANK_LIMIT_MS} ms)`], f.ranking.map((r) => [r.rooms, r.msPerRank, r.rooms === RANK_GOAL_ROOMS ? (r.msPerRank < RANK_LIMIT_MS ? "PASS" : "FAIL") : ""])));
  out.push("");
  if (f.throughput.length > 0) {
    const t0 = f.throughput[0]!;
    out.push(
      `Ambient updates — plain messages (no mention) offered for ${t0.seconds} s over ${t0.channels} fresh channels, ${t0.concurrency} posts in flight (as fast as the`,
      "emulator delivers and the app acks); folded = the rooms' attentionState.seen, read from Piper's database after it stopped. cpu covers",
      "the first message until the app went quiet and its rooms were written; the bare app acks and ignores them (its row is the driver's ceiling).",
    );
    out.push(
      table(
        ["target", "offered", "offered/s", "acked", "late acks", "folded", "lost", "folded/s", "ack p50 ms", "p99", "cpu ms/event", "db cpu", "driver cpu", "driver lag p99 ms", "others' cores"],
        f.throughput.map((t) => [
          t.target,
          t.offered,
          t.offeredPerSecond,
          `${t.acked}/${t.offered}`,
          t.lateOrFailedAcks,
          t.folded ?? "—",
          t.lost ?? "—",
          t.foldedPerSecond ?? "—",
          t.ack.p50,
          t.ack.p99,
          t.cpuMsPerEvent,
          t.databaseCpuMsPerEvent,
          t.driverCpuMsPerEvent,
          t.driverLagP99Ms,
          t.otherCores,
        ]),
      ),
    );
    out.push("");
  }
  if (f.latency.length > 0) {
    const bareQuiet = f.latency.find((s) => s.target === bare && !s.ambient);
    const bareAmbient = f.latency.find((s) => s.target === bare && s.ambient);
    const amb = f.latency.find((s) => s.ambient)?.ambient;
    out.push(
      `Mentions with ambient traffic — ${SPATIAL_MENTION_RATE} mentions/s for ${f.latency[0]!.seconds} s${amb ? `, with and without ${amb.rate} plain messages/s into ${amb.channelIds.length} other channels` : ""}.`,
      "Reply and ack figures are the mentions'; ambient: sent/s achieved, acks of the plain messages, and (Piper) how many were folded in.",
      "× bare: reply p99 over the bare app's at the same traffic; × quiet bare: over the bare app's without ambient traffic.",
    );
    out.push(
      table(
        ["target", "ambient/s", "sent", "lost", "ack p99 ms", "reply p50 ms", "p95", "p99", "× bare", "× quiet bare", "ambient sent/s", "ambient acked ≤3 s", "2xx", "ambient ack p99", "folded", "cpu ms/msg", "db cpu", "driver lag p99 ms", "others' cores"],
        f.latency.map((s) => {
          const floor = s.ambient ? bareAmbient : bareQuiet;
          const messages = s.sent + (s.ambient?.sent ?? 0);
          const folded = s.ambient && s.target !== bare ? (f.latencyAmbientFolded[s.target] ?? "—") : "—";
          return [
            s.target,
            s.ambient?.rate ?? 0,
            s.sent,
            s.lost,
            s.ack.p99,
            s.reply.p50,
            s.reply.p95,
            s.reply.p99,
            floor ? s.reply.p99 / floor.reply.p99 : Number.NaN,
            bareQuiet ? s.reply.p99 / bareQuiet.reply.p99 : Number.NaN,
            s.ambient?.sentPerSecond ?? "—",
            s.ambient ? `${s.ambient.acked}/${s.ambient.sent}` : "—",
            s.ambient?.answered2xx ?? "—",
            s.ambient?.ack.p99 ?? "—",
            folded === "—" ? folded : `${folded}/${s.ambient!.sent}`,
            (s.cpuMsPerMention * s.sent) / Math.max(1, messages),
            (s.databaseCpuMsPerMention * s.sent) / Math.max(1, messages),
            s.driverLagP99Ms,
            s.otherCores,
          ];
        }),
      ),
    );
    out.push("");
  }
  return out;
}

/** Notes on what skews the spatial figures: a driver that could not offer the ambient rate, its lag, a busy machine. */
export function spatialNotes(f: SpatialFigures): string[] {
  const notes: string[] = [];
  for (const s of f.latency) {
    if (s.ambient && s.ambient.sentPerSecond < 0.95 * s.ambient.rate)
      notes.push(`Spatial: the driver offered only ${s.ambient.sentPerSecond.toFixed(0)} of ${s.ambient.rate} ambient messages/s to ${s.target} (driver lag p99 ${s.driverLagP99Ms.toFixed(0)} ms): the bench process, not the app, set that pace.`);
  }
  const lagged = [...f.latency.map((s) => s.driverLagP99Ms), ...f.throughput.map((t) => t.driverLagP99Ms)].filter((ms) => ms > 50);
  if (lagged.length > 0) notes.push(`Spatial: the bench process's event loop lagged (p99 up to ${Math.max(...lagged).toFixed(0)} ms in ${lagged.length} runs): latencies below that are the driver's, not the app's.`);
  const busy = [...f.latency.map((s) => s.otherCores), ...f.throughput.map((t) => t.otherCores)].filter((c) => c > 0.25);
  if (busy.length > 0) notes.push(`Spatial: other processes used up to ${Math.max(...busy).toFixed(1)} cores during ${busy.length} runs: those figures are skewed by the machine.`);
  return notes;
}

/** results.json: the channel ids are only the bench's bookkeeping. */
export function spatialForJson(f: SpatialFigures): unknown {
  return {
    ...f,
    throughput: f.throughput.map(({ channelIds: _ids, ...rest }) => rest),
    latency: f.latency.map((s) => (s.ambient ? { ...s, ambient: { ...s.ambient, channelIds: undefined, channels: s.ambient.channelIds.length } } : s)),
  };
}

const TEXTS = ["ok", "who owns billing?", "prod is down", "deploying now", "can someone review my PR", "🔥 outage in checkout", "thanks!", "lunch?"];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
