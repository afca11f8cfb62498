import { describe, expect, it } from "vitest";
import { DEFAULT_ATTENTION_CONFIG as C, emptyAttention, observe, type AttentionEvent, type RoomAttention } from "../../src/spatial/attention.js";
import { rankRooms, type RoomInput } from "../../src/spatial/navigator.js";

const MIN = 60_000;
const H = 60 * MIN;
const NOW = 1_700_000_000_000;

/** A hand-made state whose baseline has a long history, so the short-history correction is exactly 1. */
function state(score: number, ageMs: number, usualWeightPerHour = 0, extra: Partial<RoomAttention> = {}): RoomAttention {
  const s = emptyAttention(NOW - ageMs);
  return {
    ...s,
    score,
    baseline: { at: NOW, since: NOW - 10_000 * H, recentPerHour: usualWeightPerHour, usualPerHour: usualWeightPerHour, usualWeightPerHour },
    seen: 1_000,
    ...extra,
  };
}

const room = (id: string, s: RoomAttention, territoryId = "T1"): RoomInput => ({ id, territoryId, name: `#${id}`, state: s });

const fixed: RoomInput[] = [
  room("e", state(100, 0, 30)), // busy and ordinary: 100 - 30·4/ln2 < 0 → 0
  room("d", state(8, C.halfLifeMs)), // 8 halved = 4, the same as a: ties go to the smaller id
  room("c", state(2, 0, 0, { questions: [{ ts: "1.1", user: "U", at: NOW - H }] })), // 2 + 3 for the ageing question = 5
  room("b", state(10, 0, 1), "T2"), // 10 - 4/ln2 ≈ 4.2292
  room("a", state(8, C.halfLifeMs)), // 8 halved = 4
];

describe("rankRooms", () => {
  it("matches hand-computed values, ties broken by id", () => {
    const ranked = rankRooms(fixed, NOW, { config: C });
    expect(ranked.map((r) => r.id)).toEqual(["c", "b", "a", "d", "e"]);
    const byId = Object.fromEntries(ranked.map((r) => [r.id, r.score]));
    expect(byId.c).toBeCloseTo(5);
    expect(byId.b).toBeCloseTo(10 - 4 / Math.LN2);
    expect(byId.a).toBeCloseTo(4);
    expect(byId.d).toBeCloseTo(4);
    expect(byId.e).toBe(0);
    expect(ranked[0]).toMatchObject({ territoryId: "T1", name: "#c", risk: "medium", pinned: false, reasons: ["1 unanswered question, 1 h old"] });
    expect(ranked[1]!.territoryId).toBe("T2");
  });

  it("keeps the same order whatever order the rooms come in", () => {
    const reversed = rankRooms([...fixed].reverse(), NOW, { config: C });
    expect(reversed.map((r) => r.id)).toEqual(["c", "b", "a", "d", "e"]);
  });

  it("lifts a user's pinned rooms on that user's view only", () => {
    const pinned = rankRooms(fixed, NOW, { config: C, pins: new Set(["e"]), pinBoost: 10 });
    expect(pinned[0]).toMatchObject({ id: "e", score: 10, pinned: true });
    expect(rankRooms(fixed, NOW, { config: C })[0]!.id).toBe("c");
  });

  it("returns the top `limit` in the same order as a full sort", () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
    const rooms = Array.from({ length: 5_000 }, (_, i) => {
      // A third of the rooms tie at exactly the same value, so the id tie-break is exercised in the heap.
      const s = i % 3 === 0 ? state(3, 0) : state(rand() * 50, rand() * 12 * H, rand() * 2);
      return room(`r${String(i).padStart(5, "0")}`, s);
    });
    const full = rankRooms(rooms, NOW, { config: C });
    for (const limit of [1, 10, 50, 2_000]) {
      expect(rankRooms(rooms, NOW, { config: C, limit })).toEqual(full.slice(0, limit));
    }
    expect(rankRooms(rooms, NOW, { config: C, limit: 0 })).toEqual([]);
  });

  it("ranks a quiet room that spikes above a steadily busy room with more traffic", () => {
    let n = 0;
    const ev = (user: string, at: number, text = "ok"): AttentionEvent => ({ user, ts: `${n++}`, text, mentionsPiper: false, isDm: false, at });
    const start = NOW - 72 * H - 15 * MIN;
    let busy = emptyAttention(start);
    let quiet = emptyAttention(start);
    // Busy: a message every 2 minutes for three days, right up to now.
    for (let t = start; t <= NOW; t += 2 * MIN) busy = observe(busy, ev(`b${n % 5}`, t), C);
    // Quiet: one message every six hours, then fifteen in the last fifteen minutes.
    for (let t = start; t < NOW - 15 * MIN; t += 6 * H) quiet = observe(quiet, ev(`q${n % 3}`, t), C);
    for (let i = 0; i < 15; i++) quiet = observe(quiet, ev(`q${i % 3}`, NOW - 14 * MIN + i * MIN, "is it working now"), C);

    const ranked = rankRooms([room("busy", busy), room("quiet", quiet)], NOW, { config: C });
    expect(busy.score).toBeGreaterThan(5 * quiet.score);
    expect(ranked.map((r) => r.id)).toEqual(["quiet", "busy"]);
    const [q, b] = ranked;
    expect(q!.risk).toBe("high");
    expect(q!.spike).toBeGreaterThan(C.risk.spikeHigh);
    expect(q!.reasons[0]).toMatch(/^\d+× its usual activity$/);
    expect(b!.risk).toBe("low");
    expect(b!.spike).toBeLessThan(C.risk.spikeMedium);
  });
});
