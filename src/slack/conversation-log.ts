// Persists each exchange as a ConversationTurn (and the territory and room it hangs on), many turns per statement.
import { randomUUID } from "node:crypto";
import type { SqlExecutor } from "../db/sql.js";
import type { Logger } from "../logger.js";
import type { Intent } from "../routing/intent.js";
import type { Inbound } from "./inbound.js";

export interface ConversationLog {
  /**
   * Resolves once the turn is stored. Callers need not wait: the thread's memory already has it.
   * The intent, when the router gave one, is stored as JSON (feedback votes and reports read it).
   */
  record(inbound: Inbound, replyText: string, intent?: Intent): Promise<void>;
}

interface PendingTurn {
  inbound: Inbound;
  replyText: string;
  intent?: Intent;
  repliedAt: Date;
  done: () => void;
  failed: (err: unknown) => void;
}

/**
 * Turns are gathered for a quarter of a second and written in one statement that also upserts their
 * territories and rooms (and moves each room's lastActivityAt). Under load that is one round trip
 * — and, on PGlite, one query on Piper's own thread — per batch instead of one to three per reply.
 */
export class DatabaseConversationLog implements ConversationLog {
  #pending: PendingTurn[] = [];
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly sql: SqlExecutor,
    private readonly logger: Logger,
    private readonly options: { batchMs?: number; maxBatch?: number } = {},
  ) {}

  record(inbound: Inbound, replyText: string, intent?: Intent): Promise<void> {
    return new Promise((done, failed) => {
      this.#pending.push({ inbound, replyText, intent, repliedAt: new Date(), done, failed });
      if (this.#pending.length >= (this.options.maxBatch ?? 200)) this.#flushSoon(0);
      // Nothing reads a turn within a quarter second of its reply, and on PGlite each statement has a fixed cost
      // of a millisecond or two however many rows it carries: under load, one statement for many replies.
      else this.#flushSoon(this.options.batchMs ?? 250);
    });
  }

  /** Writes what is pending now (shutdown, tests). */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#pending;
    this.#pending = [];
    this.#writing = this.#writing.then(() => this.#write(batch));
    return this.#writing;
  }

  #flushSoon(ms: number): void {
    if (this.#timer && ms > 0) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.flush(), ms);
  }

  async #write(batch: PendingTurn[]): Promise<void> {
    // In parts: on PGlite's one session a statement holds every other one, a request's record (which
    // Slack's ack waits for) included, for as long as it runs — 50 turns took ~18 ms, 25 take ~half.
    for (let i = 0; i < batch.length; i += TURNS_PER_STATEMENT) await this.#writePart(batch.slice(i, i + TURNS_PER_STATEMENT));
  }

  async #writePart(batch: PendingTurn[]): Promise<void> {
    if (batch.length === 0) return;
    const col = <T>(f: (t: PendingTurn) => T) => batch.map(f);
    try {
      await this.sql.executeSql(INSERT_TURNS, [
        col((t) => t.inbound.territory),
        col((t) => t.inbound.room.id),
        col((t) => t.inbound.room.kind),
        col((t) => t.inbound.threadTs ?? t.inbound.ts ?? ""),
        col((t) => t.inbound.user),
        col((t) => t.inbound.text),
        col((t) => t.replyText),
        col((t) => (t.inbound.source === "slash" ? null : t.inbound.id)),
        col((t) => t.repliedAt.toISOString()),
        col(() => randomUUID()),
        col((t) => (t.intent ? JSON.stringify(t.intent) : null)),
      ], { prepared: INSERT_TURNS_PREPARED });
      for (const t of batch) t.done();
    } catch (err) {
      this.logger.warn({ err, turns: batch.length }, "could not record conversation turns");
      for (const t of batch) t.failed(err);
    }
  }
}

const TURNS_PER_STATEMENT = 25;
const INSERT_TURNS_PREPARED = {
  name: "piper_insert_turns",
  types: ["text[]", "text[]", "text[]", "text[]", "text[]", "text[]", "text[]", "text[]", "timestamptz[]", "text[]", "text[]"],
} as const;

/**
 * One statement: the batch as rows (unnest), its territories and rooms upserted (DO UPDATE, so
 * existing rows come back too), then the turns joined to their rooms. Ids are generated here, as
 * Prisma would (cuid there, UUIDs here: both are opaque text keys).
 */
const INSERT_TURNS = `
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[], $10::text[], $11::text[])
    AS x(team, channel, kind, thread_ts, slack_user, user_text, reply_text, event_id, replied_at, turn_id, intent)
),
territories AS (
  INSERT INTO "Territory" (id, "slackTeamId", "updatedAt")
  SELECT gen_random_uuid()::text, team, now() FROM (SELECT DISTINCT team FROM input) d
  ON CONFLICT ("slackTeamId") DO UPDATE SET "slackTeamId" = EXCLUDED."slackTeamId"
  RETURNING id, "slackTeamId"
),
rooms AS (
  INSERT INTO "Room" (id, "territoryId", "slackChannelId", kind, "lastActivityAt", "updatedAt")
  SELECT gen_random_uuid()::text, t.id, r.channel, r.kind::"RoomKind", r.last_at, now()
  FROM (SELECT team, channel, min(kind) AS kind, max(replied_at) AS last_at FROM input GROUP BY team, channel) r
  JOIN territories t ON t."slackTeamId" = r.team
  ON CONFLICT ("territoryId", "slackChannelId") DO UPDATE
    SET "lastActivityAt" = GREATEST(COALESCE("Room"."lastActivityAt", EXCLUDED."lastActivityAt"), EXCLUDED."lastActivityAt"), "updatedAt" = now()
  RETURNING id, "territoryId", "slackChannelId"
)
INSERT INTO "ConversationTurn" (id, "roomId", "threadTs", "slackUserId", "userText", "replyText", "eventId", "repliedAt", intent)
SELECT i.turn_id, r.id, i.thread_ts, i.slack_user, i.user_text, i.reply_text, i.event_id, i.replied_at, i.intent
FROM input i
JOIN territories t ON t."slackTeamId" = i.team
JOIN rooms r ON r."territoryId" = t.id AND r."slackChannelId" = i.channel
`;
