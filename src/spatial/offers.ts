// Opt-in offers (issue 11): `/piper watch` in a channel lets Piper offer help there when the room's
// attention risk is high — one offer per room per interval, across every instance — and the offer's
// button lists the questions still waiting (the thread summary workflow takes it over once it exists).
import type { PrismaClient } from "../generated/prisma/client.js";
import type { SqlExecutor } from "../db/sql.js";
import type { Logger } from "../logger.js";
import { reply, type Reply } from "../routing/router.js";
import type { Inbound } from "../slack/inbound.js";
import type { MessageBody, SlackPoster } from "../slack/poster.js";
import { assess, DEFAULT_ATTENTION_CONFIG, formatDuration, parseAttention, type AttentionConfig, type OpenQuestion, type Risk } from "./attention.js";
import type { WatchCommands } from "./commands.js";

/** The offer's button; its value is the Room row's id. */
export const OFFER_QUESTIONS_ACTION_ID = "piper_offer_questions";

export type OfferMinRisk = Exclude<Risk, "low">;

const keyOf = (territory: string, room: string) => `${territory}\u0000${room}`;

/** "2 hours", "30 minutes", "1 day": how the interval reads in a sentence. */
export function intervalText(ms: number): string {
  const unit = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 60 || minutes % 60 !== 0) return minutes < 120 ? unit(minutes, "minute") : unit(Math.round(minutes / 60), "hour");
  const hours = minutes / 60;
  return hours % 24 === 0 ? unit(hours / 24, "day") : unit(hours, "hour");
}

// ---------------------------------------------------------------------------------------------
// Watching

export interface WatchedRooms {
  isWatched(territory: string, room: string): boolean;
}

export interface RoomWatchOptions {
  prisma: PrismaClient;
  /** What the reply promises: the offer interval. */
  intervalMs: number;
}

/**
 * `/piper watch` and `/piper unwatch`. The watched rooms are also kept in memory (read once at start,
 * changed here), so the check made after every observed message is a set lookup, never a query.
 * Another instance's watch is seen here after a restart; its unwatch at once, since the claim in
 * OfferService re-checks `watched` in the database.
 */
export class RoomWatch implements WatchCommands, WatchedRooms {
  readonly #watched = new Set<string>();

  constructor(private readonly options: RoomWatchOptions) {}

  /** Reads every watched room; call once at start. */
  async load(): Promise<void> {
    const rows = await this.options.prisma.room.findMany({ where: { watched: true }, select: { slackChannelId: true, territory: { select: { slackTeamId: true } } } });
    for (const r of rows) this.#watched.add(keyOf(r.territory.slackTeamId, r.slackChannelId));
  }

  isWatched(territory: string, room: string): boolean {
    return this.#watched.has(keyOf(territory, room));
  }

  /** Rooms watched as this instance knows them (tests, metrics). */
  get size(): number {
    return this.#watched.size;
  }

  async watch(inbound: Inbound, on: boolean): Promise<Reply> {
    const channel = `<#${inbound.room.id}>`;
    if (inbound.room.kind === "dm") {
      return reply(
        on
          ? "I can only watch channels: in a direct message there's nobody else to offer help to. Say `/piper watch` in the channel you want me to keep an eye on."
          : "I don't watch direct messages, so there's nothing to stop here. Say `/piper unwatch` in the channel I'm watching.",
      );
    }
    const { prisma } = this.options;
    const territory = await prisma.territory.upsert({ where: { slackTeamId: inbound.territory }, create: { slackTeamId: inbound.territory }, update: {}, select: { id: true } });
    const key = { territoryId: territory.id, slackChannelId: inbound.room.id };
    // Read first only to say "already": the write below is what counts (the same keys as the room store and memory, so any may come first).
    const before = await prisma.room.findUnique({ where: { territoryId_slackChannelId: key }, select: { watched: true } });
    await prisma.room.upsert({
      where: { territoryId_slackChannelId: key },
      create: { ...key, kind: inbound.room.kind, watched: on },
      update: { watched: on },
    });
    const k = keyOf(inbound.territory, inbound.room.id);
    if (on) this.#watched.add(k);
    else this.#watched.delete(k);
    const every = intervalText(this.options.intervalMs);
    if (on) {
      const already = before?.watched ? "I'm already watching" : "I'm watching";
      return reply(
        `${already} ${channel} now: when questions wait too long or something looks urgent, I'll offer help here — at most once every ${every}. \`/piper unwatch\` stops it.`,
      );
    }
    return reply(before?.watched ? `Stopped watching ${channel}: I won't offer help here unless someone says \`/piper watch\` again.` : `I wasn't watching ${channel}, so there's nothing to stop. \`/piper watch\` starts it.`);
  }
}

// ---------------------------------------------------------------------------------------------
// Offering

/** What the offer needs of Slack: a top-level message, and auth.test for the workspace's address. */
export type OfferSlack = Pick<SlackPoster, "postMessage" | "call">;

export interface OfferRooms {
  /** The room as it is now (unflushed changes included): RoomStore.get. */
  get(territory: string, room: string): Promise<{ state: unknown } | undefined>;
}

export interface OfferServiceOptions {
  sql: SqlExecutor;
  watched: WatchedRooms;
  rooms: OfferRooms;
  /** Slack, once connected (undefined before: nothing is offered). */
  slack: OfferSlack | (() => OfferSlack | undefined);
  logger: Logger;
  /** At most one offer per room per this long (PIPER_OFFER_INTERVAL_MS). */
  intervalMs: number;
  /** The risk at which an offer is made (PIPER_OFFER_MIN_RISK). */
  minRisk?: OfferMinRisk;
  attention?: AttentionConfig;
  now?: () => number;
}

/** What one `consider` did: tests and logs read it; the observer ignores it. */
export type OfferOutcome = "unwatched" | "calm" | "too-soon" | "claimed-elsewhere" | "offered" | "failed";

const RISK_RANK: Record<Risk, number> = { low: 0, medium: 1, high: 2 };

/**
 * After each observed message: an unwatched room costs a set lookup; a watched one an assessment
 * of its state; only a watched room at or above the risk threshold, outside its interval as this
 * instance knows it, costs a statement — the claim — and the winner posts the offer.
 */
export class OfferService {
  readonly #now: () => number;
  readonly #minRisk: OfferMinRisk;
  readonly #attention: AttentionConfig;
  /** Per room: before this, another claim cannot succeed (from our own claim or the stored lastOfferAt). */
  readonly #notBefore = new Map<string, number>();
  readonly #claiming = new Set<string>();
  readonly #inFlight = new Set<Promise<unknown>>();
  #workspaceUrl: Promise<string | undefined> | undefined;

  constructor(private readonly options: OfferServiceOptions) {
    this.#now = options.now ?? Date.now;
    this.#minRisk = options.minRisk ?? "high";
    this.#attention = options.attention ?? DEFAULT_ATTENTION_CONFIG;
  }

  /** Never rejects: failures are logged and come back as "failed". */
  consider(territory: string, room: string, state: unknown, now = this.#now()): Promise<OfferOutcome> {
    if (!this.options.watched.isWatched(territory, room)) return Promise.resolve("unwatched");
    const work = this.#consider(territory, room, state, now).catch((err: unknown) => {
      this.options.logger.warn({ err, room }, "could not offer help in a watched room");
      return "failed" as const;
    });
    this.#inFlight.add(work);
    void work.finally(() => this.#inFlight.delete(work));
    return work;
  }

  /** Resolves once every offer started so far is posted or given up (shutdown and tests wait on it). */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
  }

  async #consider(territory: string, room: string, state: unknown, now: number): Promise<OfferOutcome> {
    const key = keyOf(territory, room);
    if (this.#claiming.has(key) || now < (this.#notBefore.get(key) ?? -Infinity)) return "too-soon";
    const attention = parseAttention(state);
    const assessment = assess(attention, now, this.#attention);
    if (RISK_RANK[assessment.risk] < RISK_RANK[this.#minRisk]) return "calm";
    const slack = this.#slack();
    if (!slack) return "failed";

    this.#claiming.add(key);
    let claim: { roomId?: string; claimed: boolean; lastMs?: number };
    try {
      claim = await this.#claim(territory, room, now);
    } finally {
      this.#claiming.delete(key);
    }
    if (!claim.claimed) {
      // The stored lastOfferAt comes from the statement's snapshot: when another instance's claim committed
      // while ours waited on the row lock, it is the old value (or none). The claim was lost just now, so the
      // winner's offer is at most this old: look again no sooner than one interval from now.
      const known = claim.lastMs !== undefined ? claim.lastMs + this.options.intervalMs : undefined;
      this.#notBefore.set(key, known !== undefined && known > now ? known : now + this.options.intervalMs);
      return "claimed-elsewhere";
    }
    this.#notBefore.set(key, now + this.options.intervalMs);

    const open = this.#openQuestions(attention.questions, now);
    try {
      await slack.postMessage(room, undefined, offerMessage(claim.roomId!, assessment.reasons, open.length));
    } catch (err) {
      // The claim stands: a room Slack refuses (Piper not in it, archived) is not tried again on every message.
      this.options.logger.warn({ err, room, risk: assessment.risk }, "could not post an offer of help");
      return "failed";
    }
    this.options.logger.info({ room, risk: assessment.risk, reasons: assessment.reasons }, "offered help in a watched room");
    return "offered";
  }

  /**
   * One statement: the conditional UPDATE claims this interval's offer (under concurrent claims the
   * row lock makes the later one re-check lastOfferAt and match nothing), and the room's stored
   * lastOfferAt comes back beside it so a lost claim tells this instance when to look again.
   */
  async #claim(territory: string, room: string, now: number): Promise<{ roomId?: string; claimed: boolean; lastMs?: number }> {
    const { rows } = await this.options.sql.executeSql(CLAIM_OFFER, [territory, room, new Date(now).toISOString(), new Date(now - this.options.intervalMs).toISOString()]);
    const row = rows[0];
    if (!row) return { claimed: false };
    const last = row.last_ms === null || row.last_ms === undefined ? undefined : Number(row.last_ms);
    return { roomId: String(row.id), claimed: row.claimed !== null && row.claimed !== undefined, lastMs: last };
  }

  #slack(): OfferSlack | undefined {
    const { slack } = this.options;
    return typeof slack === "function" ? slack() : slack;
  }

  #openQuestions(questions: OpenQuestion[], now: number): OpenQuestion[] {
    return questions.filter((q) => now - q.at < this.#attention.questionForgetMs).sort((a, b) => a.at - b.at);
  }

  /**
   * The click on an offer: the room's open questions as the clicker should see them, each linked to
   * its message with how long it has waited. `channel` is where the button was clicked: an offer's
   * room id from another channel shows nothing of that room.
   */
  async openQuestions(roomId: string, channel: string, now = this.#now()): Promise<MessageBody> {
    const { rows } = await this.options.sql.executeSql(ROOM_BY_ID, [roomId]);
    const row = rows[0];
    if (!row || String(row.channel) !== channel) return { text: "That offer is about another channel, so there's nothing to list here." };
    const view = await this.options.rooms.get(String(row.team), channel);
    const open = this.#openQuestions(view?.state === undefined ? [] : parseAttention(view.state).questions, now);
    if (open.length === 0) return { text: "No open questions now." };
    const base = await this.#baseUrl();
    const lines = open.map((q) => {
      const label = base ? `<${messageLink(base, channel, q)}|Question>` : "Question";
      return `• ${label} from <@${q.user}>, waiting ${formatDuration(now - q.at)}`;
    });
    const heading = open.length === 1 ? "1 question here is still waiting for an answer:" : `${open.length} questions here are still waiting for an answer:`;
    return { text: `${heading}\n${lines.join("\n")}` };
  }

  /** The workspace's address from auth.test's `url`, asked once (a failure is asked again next time). */
  #baseUrl(): Promise<string | undefined> {
    const slack = this.#slack();
    if (!slack) return Promise.resolve(undefined);
    this.#workspaceUrl ??= slack.call("auth.test", (c) => c.auth.test()).then(
      (r) => (typeof r.url === "string" && r.url ? r.url.replace(/\/+$/, "") : undefined),
      (err: unknown) => {
        this.#workspaceUrl = undefined;
        this.options.logger.warn({ err }, "could not read the workspace's address; listing questions without links");
        return undefined;
      },
    );
    return this.#workspaceUrl;
  }
}

/** `https://<workspace>/archives/<channel>/p<ts without the dot>`, with the thread for a question asked in one. */
export function messageLink(base: string, channel: string, q: Pick<OpenQuestion, "ts" | "thread">): string {
  const link = `${base}/archives/${channel}/p${q.ts.replace(".", "")}`;
  return q.thread && q.thread !== q.ts ? `${link}?thread_ts=${q.thread}&cid=${channel}` : link;
}

function offerMessage(roomId: string, reasons: string[], openQuestions: number): MessageBody {
  const why = reasons.length > 0 ? `: ${reasons.join("; ")}` : "";
  const ask = openQuestions > 0 ? "Want the list of questions still waiting for an answer?" : "Want me to check for questions still waiting for an answer?";
  const text = `This channel looks like it could use a hand${why}. ${ask}`;
  return {
    text,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text } },
      {
        type: "actions",
        elements: [{ type: "button", action_id: OFFER_QUESTIONS_ACTION_ID, text: { type: "plain_text", text: "Show open questions" }, value: roomId }],
      },
      { type: "context", elements: [{ type: "mrkdwn", text: "Someone asked me to watch this channel (`/piper watch`); `/piper unwatch` stops these offers." }] },
    ],
  };
}

/*
 * lastOfferAt is `timestamp(3)` without a zone, holding UTC (as every Prisma DateTime here): values go
 * in as `timestamptz AT TIME ZONE 'UTC'` and come out as epoch milliseconds.
 */
const CLAIM_OFFER = `
WITH target AS (
  SELECT r.id, r."lastOfferAt" FROM "Room" r JOIN "Territory" t ON t.id = r."territoryId"
  WHERE t."slackTeamId" = $1 AND r."slackChannelId" = $2
),
claimed AS (
  UPDATE "Room" r SET "lastOfferAt" = $3::timestamptz AT TIME ZONE 'UTC'
  FROM target
  WHERE r.id = target.id AND r.watched AND (r."lastOfferAt" IS NULL OR r."lastOfferAt" <= $4::timestamptz AT TIME ZONE 'UTC')
  RETURNING r.id
)
SELECT target.id, (SELECT id FROM claimed) AS claimed, (extract(epoch FROM target."lastOfferAt") * 1000)::float8 AS last_ms FROM target`;

const ROOM_BY_ID = `SELECT t."slackTeamId" AS team, r."slackChannelId" AS channel FROM "Room" r JOIN "Territory" t ON t.id = r."territoryId" WHERE r.id = $1`;
