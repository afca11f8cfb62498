// A room's own memory (RoomMemory rows): the repository it's linked to and the facts people asked Piper to remember, each with who said it and when.
import { createHash } from "node:crypto";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { RoomKind } from "../slack/inbound.js";

/** The key of the room's linked repository. */
export const LINKED_REPO_KEY = "linked_repo";
/** User facts are `note:<slug of the fact>`: see noteKey. */
export const NOTE_PREFIX = "note:";
/** More than this many notes in one room is refused: memory is for a handful of facts, not a notebook. */
export const MAX_NOTES = 50;

/** What each row's value holds. */
export interface MemoryValue {
  text: string;
  /** Slack user id of whoever asked Piper to remember it. */
  by?: string;
  /** ISO 8601. */
  at?: string;
}

export interface RoomFact extends MemoryValue {
  key: string;
  kind: "linked_repo" | "note" | "other";
}

export interface ForgetResult {
  /** What was removed (empty when nothing matched, or more than one thing matched equally). */
  removed: RoomFact[];
  /** When several facts matched equally well: those, none removed — the person says which. */
  ambiguous: RoomFact[];
}

export class RoomMemoryStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Everything remembered about a room: the link first, then notes oldest first, then other keys. Empty when the room is unknown. */
  async facts(territory: string, channel: string): Promise<RoomFact[]> {
    const rows = await this.prisma.roomMemory.findMany({
      where: { room: { slackChannelId: channel, territory: { slackTeamId: territory } } },
      select: { key: true, value: true, updatedAt: true },
    });
    return sortFacts(rows.map((r) => toFact(r.key, r.value, r.updatedAt)));
  }

  /**
   * Stores `text` under `key` (replacing what was there), as `{ text, by, at }`. Creates the territory and
   * room rows when Piper hasn't seen them yet (`kind` is used only then).
   */
  async remember(territory: string, channel: string, key: string, text: string, by: string, kind?: RoomKind): Promise<RoomFact> {
    const roomId = await this.#roomId(territory, channel, kind);
    const value: MemoryValue = { text, by, at: this.now().toISOString() };
    await this.prisma.roomMemory.upsert({
      where: { roomId_key: { roomId, key } },
      create: { roomId, key, value: { ...value } },
      update: { value: { ...value } },
    });
    return { key, kind: kindOf(key), ...value };
  }

  /**
   * A user fact under its slug (see noteKey): remembering the same words again refreshes who and when
   * instead of adding a copy. Throws TooManyNotesError past MAX_NOTES.
   */
  async note(territory: string, channel: string, text: string, by: string, kind?: RoomKind): Promise<RoomFact> {
    const key = noteKey(text);
    const notes = (await this.facts(territory, channel)).filter((f) => f.kind === "note");
    if (notes.length >= MAX_NOTES && !notes.some((n) => n.key === key)) throw new TooManyNotesError(MAX_NOTES);
    return this.remember(territory, channel, key, text, by, kind);
  }

  /** Links the room to `owner/name`, replacing an earlier link. */
  async linkRepo(territory: string, channel: string, repo: string, by = "", kind?: RoomKind): Promise<RoomFact> {
    return this.remember(territory, channel, LINKED_REPO_KEY, repo, by, kind);
  }

  async linkedRepo(territory: string, channel: string): Promise<string | undefined> {
    const row = await this.prisma.roomMemory.findFirst({
      where: { key: LINKED_REPO_KEY, room: { slackChannelId: channel, territory: { slackTeamId: territory } } },
      select: { value: true },
    });
    return row ? valueOf(row.value).text || undefined : undefined;
  }

  /**
   * Removes one fact: by exact key (`linked_repo`, `note:…`), by the fact's exact words, or else the one
   * note whose words best cover what was said ("forget the deploy day" → "we deploy on tuesdays").
   * Several equally good matches remove nothing (see ForgetResult.ambiguous).
   */
  async forget(territory: string, channel: string, keyOrText: string): Promise<ForgetResult> {
    const facts = await this.facts(territory, channel);
    const wanted = keyOrText.trim();
    const exact = facts.filter((f) => f.key === wanted || f.key === noteKey(wanted) || f.text.toLowerCase() === wanted.toLowerCase());
    const chosen = exact.length > 0 ? exact.slice(0, 1) : bestMatches(facts.filter((f) => f.kind === "note"), wanted);
    if (chosen.length > 1) return { removed: [], ambiguous: chosen };
    if (chosen.length === 0) return { removed: [], ambiguous: [] };
    await this.#delete(territory, channel, chosen.map((f) => f.key));
    return { removed: chosen, ambiguous: [] };
  }

  /** Removes the link and every user fact of the room (other keys — Piper's own bookkeeping — stay). */
  async forgetAll(territory: string, channel: string): Promise<RoomFact[]> {
    const facts = (await this.facts(territory, channel)).filter((f) => f.kind !== "other");
    await this.#delete(territory, channel, facts.map((f) => f.key));
    return facts;
  }

  async #delete(territory: string, channel: string, keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.prisma.roomMemory.deleteMany({ where: { key: { in: keys }, room: { slackChannelId: channel, territory: { slackTeamId: territory } } } });
  }

  /** The room's id, creating the territory and room rows as the conversation log would (same unique keys, so either may come first). */
  async #roomId(slackTeamId: string, slackChannelId: string, kind: RoomKind = "channel"): Promise<string> {
    const territory = await this.prisma.territory.upsert({
      where: { slackTeamId },
      create: { slackTeamId },
      update: {},
      select: { id: true },
    });
    const room = await this.prisma.room.upsert({
      where: { territoryId_slackChannelId: { territoryId: territory.id, slackChannelId } },
      create: { territoryId: territory.id, slackChannelId, kind },
      update: {},
      select: { id: true },
    });
    return room.id;
  }
}

export class TooManyNotesError extends Error {
  constructor(readonly max: number) {
    super(`a room holds at most ${max} notes`);
    this.name = "TooManyNotesError";
  }
}

/**
 * `note:` + a slug of the fact's words ("we-deploy-on-tuesdays"): readable in the table, the same
 * for the same words (so remembering twice doesn't duplicate), and found directly when someone says
 * "forget that we deploy on tuesdays" in the same words. Long facts are cut and get a short hash, so
 * two long facts sharing a beginning don't overwrite each other.
 */
export function noteKey(text: string): string {
  const slug = text
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
  if (slug.length <= 60) return `${NOTE_PREFIX}${slug || hash(text)}`;
  return `${NOTE_PREFIX}${slug.slice(0, 60).replace(/-+$/, "")}-${hash(text)}`;
}

function hash(text: string): string {
  return createHash("sha256").update(text.trim().toLowerCase()).digest("hex").slice(0, 8);
}

function kindOf(key: string): RoomFact["kind"] {
  if (key === LINKED_REPO_KEY) return "linked_repo";
  return key.startsWith(NOTE_PREFIX) ? "note" : "other";
}

/** Rows written by hand or by older code may hold a bare string; they read as text with no author. */
function valueOf(value: unknown): MemoryValue {
  if (typeof value === "string") return { text: value };
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    const text = typeof v.text === "string" ? v.text : JSON.stringify(value);
    return { text, ...(typeof v.by === "string" && v.by ? { by: v.by } : {}), ...(typeof v.at === "string" ? { at: v.at } : {}) };
  }
  return { text: JSON.stringify(value) };
}

function toFact(key: string, value: unknown, updatedAt: Date): RoomFact {
  const v = valueOf(value);
  return { key, kind: kindOf(key), ...v, at: v.at ?? updatedAt.toISOString() };
}

function sortFacts(facts: RoomFact[]): RoomFact[] {
  const rank = { linked_repo: 0, note: 1, other: 2 } as const;
  return facts.sort((a, b) => rank[a.kind] - rank[b.kind] || (a.at ?? "").localeCompare(b.at ?? "") || a.key.localeCompare(b.key));
}

// ── Matching "forget …" to a note ───────────────────────────────────────────────────────────────

const STOP = new Set(
  "a an the that this these those it its is are was were be been we our us you your i me my they their he she him her of on in at to for from by with about and or not no what which who when how all any some saved stored said told note fact thing remember remembered channel room here".split(" "),
);

function words(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => !STOP.has(w));
}

/** "deploys" and "deploy", "tuesday" and "tuesdays": the same word when one starts with the other and the shared part is at least 4 letters. */
function sameWord(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.length >= 4 && long.startsWith(short.slice(0, Math.max(4, short.length - 1)));
}

/** The notes that cover the most of what was said (at least half of its words); several only when tied. */
function bestMatches(notes: RoomFact[], said: string): RoomFact[] {
  const wanted = words(said);
  if (wanted.length === 0) return [];
  let best: RoomFact[] = [];
  let bestScore = 0;
  for (const note of notes) {
    const have = words(note.text);
    const score = wanted.filter((w) => have.some((h) => sameWord(w, h))).length / wanted.length;
    if (score > bestScore) [best, bestScore] = [[note], score];
    else if (score === bestScore && score > 0) best.push(note);
  }
  return bestScore >= 0.5 ? best : [];
}
