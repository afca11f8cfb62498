// Facts about a room derived on read from its conversation turns — what Piper is asked there and when — plus its topic when the schema has one. Nothing here is stored.
import type { PrismaClient } from "../generated/prisma/client.js";
import type { Category } from "../routing/intent.js";
import { isCategory } from "../routing/intent.js";

export interface RoomProfile {
  /** Requests to Piper in the room, ever. */
  turns: number;
  /** Requests in the window (the last `windowDays` days). */
  recentTurns: number;
  windowDays: number;
  /** The most asked categories in the window, most first (ties by name), at most five. */
  intents: Array<{ category: Category; count: number }>;
  /** The busiest hours (UTC) in the window: `from` inclusive, `to` exclusive, hours 0–24; absent with no turns. */
  activeHours?: { from: number; to: number; count: number };
  /** The room's topic (purpose), when the Room table has a `topic` column and it is set. */
  topic?: string;
}

export const PROFILE_WINDOW_DAYS = 30;
/** The newest turns read for the histogram: enough for any room's month, bounded for a very busy one. */
const MAX_TURNS_READ = 5_000;
const TOP_INTENTS = 5;

export async function roomProfile(prisma: PrismaClient, roomId: string, now: Date = new Date()): Promise<RoomProfile> {
  const since = new Date(now.getTime() - PROFILE_WINDOW_DAYS * 86_400_000);
  const [turns, recent, topic] = await Promise.all([
    prisma.conversationTurn.count({ where: { roomId } }),
    prisma.conversationTurn.findMany({
      where: { roomId, receivedAt: { gte: since } },
      select: { intent: true, receivedAt: true },
      orderBy: { receivedAt: "desc" },
      take: MAX_TURNS_READ,
    }),
    roomTopic(prisma, roomId),
  ]);
  const profile: RoomProfile = { turns, recentTurns: recent.length, windowDays: PROFILE_WINDOW_DAYS, intents: intentHistogram(recent.map((t) => t.intent)) };
  const hours = busiestHours(recent.map((t) => t.receivedAt));
  if (hours) profile.activeHours = hours;
  if (topic) profile.topic = topic;
  return profile;
}

/**
 * `Room.topic` is another change's column: reading the row as JSON gives every column there is, so
 * this works before and after that migration (null either way when unset) without a failing query.
 */
async function roomTopic(prisma: PrismaClient, roomId: string): Promise<string | undefined> {
  const rows = await prisma.$queryRaw<Array<{ topic: string | null }>>`SELECT to_jsonb(r) ->> 'topic' AS topic FROM "Room" r WHERE r.id = ${roomId}`;
  const topic = rows[0]?.topic?.trim();
  return topic ? topic : undefined;
}

/** Counts categories of stored intents (JSON text of an Intent); unreadable or missing ones are skipped. */
export function intentHistogram(intents: Array<string | null>): RoomProfile["intents"] {
  const counts = new Map<Category, number>();
  for (const raw of intents) {
    const category = categoryOf(raw);
    if (category) counts.set(category, (counts.get(category) ?? 0) + 1);
  }
  return [...counts]
    .map(([category, count]) => ({ category, count }))
    .sort((a, b) => b.count - a.count || a.category.localeCompare(b.category))
    .slice(0, TOP_INTENTS);
}

function categoryOf(raw: string | null): Category | undefined {
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as { category?: unknown };
    return typeof parsed.category === "string" && isCategory(parsed.category) ? parsed.category : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The two-hour window (UTC, wrapping past midnight) holding the most turns; the earliest wins a tie.
 * When one of its hours is empty the window is the other hour alone.
 */
export function busiestHours(times: Date[]): RoomProfile["activeHours"] {
  if (times.length === 0) return undefined;
  const byHour = new Array<number>(24).fill(0);
  for (const t of times) byHour[t.getUTCHours()]! += 1;
  let from = 0;
  let best = -1;
  for (let h = 0; h < 24; h++) {
    const count = byHour[h]! + byHour[(h + 1) % 24]!;
    if (count > best) [from, best] = [h, count];
  }
  // A window whose first hour is empty is really the next hour alone (the earliest-wins tie picks it first).
  if (byHour[from] === 0) return { from: (from + 1) % 24, to: ((from + 1) % 24) + 1, count: best };
  const width = byHour[(from + 1) % 24]! > 0 ? 2 : 1;
  return { from, to: from + width, count: best };
}

/** "09:00–11:00 UTC". */
export function hoursText(hours: { from: number; to: number }): string {
  const at = (h: number) => `${String(h % 24).padStart(2, "0")}:00`;
  return `${at(hours.from)}–${at(hours.to)} UTC`;
}
