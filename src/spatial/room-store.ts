// Each active room's attention state, kept in memory and written back in one batched statement (Territory + Room upserts).
import type { SqlExecutor } from "../db/sql.js";
import type { Logger } from "../logger.js";
import type { AmbientMessage } from "../slack/listeners/messages.js";
import { isRoomKind, type RoomKind } from "./room-kinds.js";

/** What the attention model is given for one message: the ambient message, placed in time and in its room. */
export interface PlacedEvent extends AmbientMessage {
  /** When it was written (from Slack's ts), ms since the epoch. */
  at: number;
  /** The spot in the room: the thread it belongs to (a top-level message starts its own). */
  spot: string;
}

/**
 * The attention model as the spatial layer sees it: its state is opaque JSON here. `apply` folds an
 * event into a room's state (undefined: a room never seen); `score` reads the state at `now`.
 * The real functions come from src/spatial/attention.ts.
 */
export interface AttentionModel {
  apply(state: unknown, event: PlacedEvent): unknown;
  score(state: unknown, now: number): { score: number; updatedAt: Date | number };
}

/** One room as the navigator reads it: unflushed in-memory changes included. */
export interface RoomView {
  territory: string;
  territoryName?: string;
  room: string;
  kind: RoomKind;
  name?: string;
  topic?: string;
  lastActivityAt?: Date;
  /** The model's state (undefined: no event folded in yet). */
  state: unknown;
  /** The model's score at the time asked for (or as last stored, for a room without state). */
  score: number;
  scoreUpdatedAt: Date;
}

export interface RoomDescription {
  name?: string;
  /** From conversations.info: wins over what an event's channel_type says. */
  kind?: RoomKind;
  topic?: string;
}

export interface RoomStoreOptions {
  sql: SqlExecutor;
  score: AttentionModel["score"];
  logger: Logger;
  /** Changed rooms are written this long after the first change (default 1 s). */
  flushMs?: number;
  /**
   * Rooms first seen by a message are read this long after the first of them (default 100 ms), in one
   * SELECT: a burst of new rooms (an install, the morning) is a few reads, not one per message — each
   * costs PGlite a couple of milliseconds however few rows it returns. A caller that needs a room now
   * (a read) has it read at once.
   */
  loadDelayMs?: number;
  /** Rooms kept in memory; beyond it, the least recently used rooms already written back are dropped (default 5,000). */
  maxRooms?: number;
  now?: () => number;
}

interface Entry {
  territory: string;
  /** As read with a row (rooms only in the database); in-memory rooms use #territoryNames. */
  territoryName?: string;
  room: string;
  kind?: RoomKind;
  /** The kind came from conversations.info (or the database), not from an event's channel_type. */
  kindKnown: boolean;
  name?: string;
  topic?: string;
  lastActivityAt?: number;
  state: unknown;
  /** Stored score, for a room loaded without state. */
  storedScore?: { score: number; updatedAt: number };
  /** Changes made before the database row was read, applied (in order) once it is. */
  pending?: Array<(e: Entry) => void>;
  loaded: boolean;
  dirty: boolean;
}

const keyOf = (territory: string, room: string) => `${territory}\u0000${room}`;

/**
 * Updates are synchronous and O(1) (a map lookup and the model's `apply`); the database sees one
 * SELECT per tick for rooms first seen since a restart and one upsert per `flushMs` for everything
 * that changed, so ambient traffic costs the ack path nothing and the database a statement a second.
 */
export class RoomStore {
  readonly #entries = new Map<string, Entry>();
  readonly #territoryNames = new Map<string, { name: string; dirty: boolean }>();
  readonly #toLoad = new Map<string, Entry>();
  #loadTimer: NodeJS.Timeout | undefined;
  #loading: Promise<void> = Promise.resolve();
  #flushTimer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();
  #closed = false;
  readonly #flushMs: number;
  readonly #loadDelayMs: number;
  readonly #maxRooms: number;
  readonly #now: () => number;

  constructor(private readonly options: RoomStoreOptions) {
    this.#flushMs = options.flushMs ?? 1_000;
    this.#loadDelayMs = options.loadDelayMs ?? 100;
    this.#maxRooms = options.maxRooms ?? 5_000;
    this.#now = options.now ?? Date.now;
  }

  /** Rooms in memory now (tests, metrics). */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Changes a room's attention state. Applied at once when the room is in memory; otherwise after
   * its row is read (this call still returns at once). `activity` moves lastActivityAt and gives
   * the kind an event tells, used until conversations.info says better.
   */
  update(territory: string, room: string, fn: (state: unknown) => unknown, activity?: { at?: number; kind?: RoomKind }): void {
    this.#change(territory, room, (e) => {
      e.state = fn(e.state);
      if (activity?.at !== undefined) e.lastActivityAt = Math.max(e.lastActivityAt ?? 0, activity.at);
      if (activity?.kind && !e.kindKnown) e.kind = activity.kind;
    });
  }

  /** Names, kind and topic from Slack (names.ts). Undefined fields are left as they are. */
  describe(territory: string, room: string, info: RoomDescription): void {
    this.#change(territory, room, (e) => {
      if (info.name !== undefined) e.name = info.name;
      if (info.topic !== undefined) e.topic = info.topic;
      if (info.kind) {
        e.kind = info.kind;
        e.kindKnown = true;
      }
    });
  }

  nameTerritory(territory: string, name: string): void {
    if (this.#closed || this.#territoryNames.get(territory)?.name === name) return;
    this.#territoryNames.set(territory, { name, dirty: true });
    this.#flushSoon();
  }

  /** One room as it is now (read from the database on first sight, then cached). */
  async get(territory: string, room: string, now = this.#now()): Promise<RoomView | undefined> {
    const existing = this.#entries.get(keyOf(territory, room));
    const entry = existing ?? this.#entry(territory, room);
    await this.#loaded(entry);
    if (!existing && entry.kind === undefined && !entry.dirty) {
      // Never seen and not in the database: don't keep an empty room around.
      this.#entries.delete(keyOf(territory, room));
      return undefined;
    }
    return this.#view(entry, now);
  }

  /**
   * Every room known (in the database or only in memory yet), of one territory or all: what the
   * navigator ranks. In-memory entries win over their rows, so an unflushed change is seen.
   */
  async allRooms(territory?: string, now = this.#now()): Promise<RoomView[]> {
    this.#startLoad();
    await this.#loading;
    const { rows } = await this.options.sql.executeSql(territory === undefined ? SELECT_ALL : SELECT_TERRITORY, territory === undefined ? [] : [territory]);
    const out = new Map<string, RoomView>();
    for (const row of rows) {
      const entry = entryFromRow(row);
      out.set(keyOf(entry.territory, entry.room), this.#view(entry, now));
    }
    for (const [key, entry] of this.#entries) {
      if (territory !== undefined && entry.territory !== territory) continue;
      if (!entry.loaded || entry.kind === undefined) continue; // still being read: its row is in `out`
      out.set(key, this.#view(entry, now));
    }
    return [...out.values()];
  }

  /** Writes every change made so far (one statement); resolves when it is stored (or the write failed and was logged). */
  async flush(): Promise<void> {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    // Changes waiting for their row are part of "so far".
    this.#startLoad();
    await this.#loading;
    this.#writing = this.#writing.then(() => this.#write());
    return this.#writing;
  }

  /** Shutdown: no more changes are taken; what is pending is written. */
  async close(): Promise<void> {
    await this.flush();
    this.#closed = true;
    clearTimeout(this.#flushTimer);
  }

  #change(territory: string, room: string, fn: (e: Entry) => void): void {
    if (this.#closed) return;
    const key = keyOf(territory, room);
    let entry = this.#entries.get(key);
    if (entry) {
      // Most recently used last: eviction takes from the front.
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    } else entry = this.#entry(territory, room);
    if (!entry.loaded) {
      (entry.pending ??= []).push(fn);
      return;
    }
    fn(entry);
    entry.dirty = true;
    this.#flushSoon();
  }

  #entry(territory: string, room: string): Entry {
    const entry: Entry = { territory, room, kindKnown: false, state: undefined, loaded: false, dirty: false };
    this.#entries.set(keyOf(territory, room), entry);
    this.#toLoad.set(keyOf(territory, room), entry);
    this.#loadTimer ??= setTimeout(() => this.#startLoad(), this.#loadDelayMs);
    return entry;
  }

  #startLoad(): void {
    clearTimeout(this.#loadTimer);
    this.#loadTimer = undefined;
    if (this.#toLoad.size > 0) this.#loading = this.#loading.then(() => this.#loadBatch());
  }

  async #loaded(entry: Entry): Promise<void> {
    this.#startLoad();
    await this.#loading;
  }

  /** One SELECT for every room first seen since the last load. */
  async #loadBatch(): Promise<void> {
    const batch = [...this.#toLoad.values()];
    this.#toLoad.clear();
    if (batch.length === 0) return;
    let rows: Array<Record<string, unknown>> = [];
    try {
      ({ rows } = await this.options.sql.executeSql(SELECT_ROOMS, [batch.map((e) => e.territory), batch.map((e) => e.room)], { prepared: { name: "piper_select_rooms", types: ["text[]", "text[]"] } }));
    } catch (err) {
      // Carry on from empty: the next write keeps the row's name and topic (COALESCE) and the model starts over for this room.
      this.options.logger.warn({ err, rooms: batch.length }, "could not read rooms' attention state; starting them afresh");
    }
    const byKey = new Map(rows.map((r) => [keyOf(String(r.team), String(r.channel)), entryFromRow(r)]));
    for (const entry of batch) {
      const row = byKey.get(keyOf(entry.territory, entry.room));
      if (row) {
        Object.assign(entry, { kind: row.kind, kindKnown: true, name: row.name, topic: row.topic, lastActivityAt: row.lastActivityAt, state: row.state, storedScore: row.storedScore });
        if (row.territoryName !== undefined && !this.#territoryNames.has(entry.territory)) this.#territoryNames.set(entry.territory, { name: row.territoryName, dirty: false });
      }
      entry.loaded = true;
      const pending = entry.pending ?? [];
      entry.pending = undefined;
      for (const fn of pending) fn(entry);
      if (pending.length > 0) {
        entry.dirty = true;
        this.#flushSoon();
      }
    }
  }

  #flushSoon(): void {
    if (this.#flushTimer || this.#closed) return;
    this.#flushTimer = setTimeout(() => {
      this.#flushTimer = undefined;
      void this.flush();
    }, this.#flushMs);
    this.#flushTimer.unref();
  }

  async #write(): Promise<void> {
    const rooms = [...this.#entries.values()].filter((e) => e.dirty && e.loaded);
    const territories = [...this.#territoryNames.entries()].filter(([, t]) => t.dirty);
    if (rooms.length === 0 && territories.length === 0) return this.#evict();
    for (const e of rooms) e.dirty = false;
    for (const [, t] of territories) t.dirty = false;
    // A statement holds PGlite's one session while it runs: in parts of ROWS_PER_STATEMENT, requests'
    // records (and everything else) get their turn between them instead of waiting out one long upsert.
    let failed = 0;
    for (let from = 0; from === 0 || from < rooms.length; from += ROWS_PER_STATEMENT) {
      const part = rooms.slice(from, from + ROWS_PER_STATEMENT);
      const named = from === 0 ? territories : [];
      try {
        await this.#upsert(part, named);
      } catch (err) {
        // Still in memory and current: marked again, they go out with the next write.
        for (const e of part) e.dirty = true;
        for (const [, t] of named) t.dirty = true;
        if (failed++ === 0) this.options.logger.warn({ err, rooms: rooms.length }, "could not write rooms' attention state; will retry");
      }
    }
    if (failed > 0) return this.#flushSoon();
    this.#evict();
  }

  async #upsert(rooms: Entry[], territories: Array<[string, { name: string | undefined }]>): Promise<void> {
    const now = this.#now();
    const scores = rooms.map((e) => this.#score(e, now));
    const col = <T>(f: (e: Entry, i: number) => T) => rooms.map(f);
    await this.options.sql.executeSql(UPSERT_ROOMS, [
      territories.map(([team]) => team),
      territories.map(([, t]) => t.name),
      col((e) => e.territory),
      col((e) => e.room),
      col((e) => e.kind ?? "channel"),
      col((e) => e.name ?? null),
      col((e) => e.topic ?? null),
      col((e) => (e.lastActivityAt === undefined ? null : new Date(e.lastActivityAt).toISOString())),
      col((_e, i) => scores[i]!.score),
      col((_e, i) => new Date(scores[i]!.updatedAt).toISOString()),
      col((e) => (e.state === undefined ? null : JSON.stringify(e.state))),
    ], { prepared: UPSERT_ROOMS_PREPARED });
  }

  /** Least recently used first; only rooms already written back and not waiting for their row. */
  #evict(): void {
    let over = this.#entries.size - this.#maxRooms;
    if (over <= 0) return;
    for (const [key, e] of this.#entries) {
      if (over <= 0) break;
      if (e.dirty || !e.loaded) continue;
      this.#entries.delete(key);
      over--;
    }
  }

  #score(e: Entry, now: number): { score: number; updatedAt: number } {
    if (e.state === undefined) return e.storedScore ?? { score: 0, updatedAt: now };
    const s = this.options.score(e.state, now);
    return { score: s.score, updatedAt: typeof s.updatedAt === "number" ? s.updatedAt : s.updatedAt.getTime() };
  }

  #view(e: Entry, now: number): RoomView {
    const s = this.#score(e, now);
    return {
      territory: e.territory,
      territoryName: this.#territoryNames.get(e.territory)?.name ?? e.territoryName,
      room: e.room,
      kind: e.kind ?? "channel",
      name: e.name,
      topic: e.topic,
      lastActivityAt: e.lastActivityAt === undefined ? undefined : new Date(e.lastActivityAt),
      state: e.state,
      score: s.score,
      scoreUpdatedAt: new Date(s.updatedAt),
    };
  }
}

function entryFromRow(r: Record<string, unknown>): Entry {
  const kind = isRoomKind(r.kind) ? r.kind : "channel";
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  const ms = (v: unknown) => (v === null || v === undefined ? undefined : Number(v));
  return {
    territory: String(r.team),
    territoryName: str(r.territory_name),
    room: String(r.channel),
    kind,
    kindKnown: true,
    name: str(r.name),
    topic: str(r.topic),
    lastActivityAt: ms(r.last_ms),
    // jsonb comes back parsed from both PGlite and pg; SQL null → undefined (no state yet).
    state: r.state === null ? undefined : r.state,
    storedScore: { score: Number(r.score ?? 0), updatedAt: ms(r.score_ms) ?? 0 },
    loaded: true,
    dirty: false,
  };
}

/*
 * Timestamps: Prisma's DateTime columns are `timestamp(3)` without a zone, holding UTC. Values go in
 * as `timestamptz AT TIME ZONE 'UTC'` and come out as epoch milliseconds, so neither depends on the
 * session's time zone.
 */
const ROOM_COLUMNS = `
  t."slackTeamId" AS team, t.name AS territory_name, r."slackChannelId" AS channel, r.kind::text AS kind, r.name, r.topic,
  (extract(epoch FROM r."lastActivityAt") * 1000)::float8 AS last_ms, r."attentionState" AS state,
  r."attentionScore" AS score, (extract(epoch FROM r."attentionUpdatedAt") * 1000)::float8 AS score_ms`;

const SELECT_ROOMS = `
SELECT ${ROOM_COLUMNS}
FROM unnest($1::text[], $2::text[]) AS k(team, channel)
JOIN "Territory" t ON t."slackTeamId" = k.team
JOIN "Room" r ON r."territoryId" = t.id AND r."slackChannelId" = k.channel`;

/** Rooms per upsert statement (see #write). */
const ROWS_PER_STATEMENT = 100;

const SELECT_ALL = `SELECT ${ROOM_COLUMNS} FROM "Room" r JOIN "Territory" t ON t.id = r."territoryId"`;
const SELECT_TERRITORY = `${SELECT_ALL} WHERE t."slackTeamId" = $1`;

const UPSERT_ROOMS_PREPARED = {
  name: "piper_upsert_rooms",
  types: ["text[]", "text[]", "text[]", "text[]", "text[]", "text[]", "text[]", "timestamptz[]", "float8[]", "timestamptz[]", "text[]"],
} as const;

/**
 * One statement: territories (named, or only touched by a room) upserted, then every changed room.
 * A name or topic Piper has not learned yet (null) never erases one already stored; lastActivityAt
 * only moves forward (the conversation log moves it too).
 */
const UPSERT_ROOMS = `
WITH named AS (
  SELECT * FROM unnest($1::text[], $2::text[]) AS x(team, name)
),
input AS (
  SELECT * FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::float8[], $10::timestamptz[], $11::text[])
    AS x(team, channel, kind, name, topic, last_at, score, score_at, state)
),
territories AS (
  INSERT INTO "Territory" (id, "slackTeamId", name, "updatedAt")
  SELECT gen_random_uuid()::text, team, max(name), now() AT TIME ZONE 'UTC'
  FROM (SELECT team, name FROM named UNION ALL SELECT team, NULL FROM input) d
  GROUP BY team
  ON CONFLICT ("slackTeamId") DO UPDATE
    SET name = COALESCE(EXCLUDED.name, "Territory".name),
        "updatedAt" = CASE WHEN EXCLUDED.name IS DISTINCT FROM "Territory".name AND EXCLUDED.name IS NOT NULL THEN EXCLUDED."updatedAt" ELSE "Territory"."updatedAt" END
  RETURNING id, "slackTeamId"
)
INSERT INTO "Room" (id, "territoryId", "slackChannelId", kind, name, topic, "lastActivityAt", "attentionScore", "attentionUpdatedAt", "attentionState", "updatedAt")
SELECT gen_random_uuid()::text, t.id, i.channel, i.kind::"RoomKind", i.name, i.topic, i.last_at AT TIME ZONE 'UTC', i.score, i.score_at AT TIME ZONE 'UTC', i.state::jsonb, now() AT TIME ZONE 'UTC'
FROM input i
JOIN territories t ON t."slackTeamId" = i.team
ON CONFLICT ("territoryId", "slackChannelId") DO UPDATE
  SET kind = EXCLUDED.kind,
      name = COALESCE(EXCLUDED.name, "Room".name),
      topic = COALESCE(EXCLUDED.topic, "Room".topic),
      "lastActivityAt" = GREATEST("Room"."lastActivityAt", EXCLUDED."lastActivityAt"),
      "attentionScore" = EXCLUDED."attentionScore",
      "attentionUpdatedAt" = EXCLUDED."attentionUpdatedAt",
      "attentionState" = COALESCE(EXCLUDED."attentionState", "Room"."attentionState"),
      "updatedAt" = EXCLUDED."updatedAt"
`;
