// The spatial core's speed: ranking many rooms (the home view's worst case) and the per-event update (runs on every message Piper sees).
import { DEFAULT_ATTENTION_CONFIG, emptyAttention, observe, type AttentionEvent, type RoomAttention } from "../src/spatial/attention.js";
import { rankRooms, type RoomInput } from "../src/spatial/navigator.js";
import { median } from "./stats.js";

const MIN = 60_000;
const H = 60 * MIN;
const NOW = 1_700_000_000_000;
const TEXTS = ["ok", "who owns billing?", "prod is down", "deploying now", "can someone review", "🔥 outage in checkout", "thanks!"];

/** Deterministic, so two runs measure the same rooms. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
}

/** A few realistic templates (built from events) spread over many rooms with different ages, so decay and questions are exercised. */
function syntheticRooms(count: number): RoomInput[] {
  const rand = lcg(42);
  const config = DEFAULT_ATTENTION_CONFIG;
  const templates: RoomAttention[] = [];
  for (let t = 0; t < 16; t++) {
    let s = emptyAttention(NOW - 48 * H);
    const events = 5 + Math.floor(rand() * 60);
    for (let i = 0; i < events; i++) {
      const at = NOW - 48 * H + Math.floor(rand() * 48 * H);
      s = observe(s, { user: `U${Math.floor(rand() * 8)}`, ts: `${at / 1000}.${i}`, text: TEXTS[i % TEXTS.length]!, mentionsPiper: rand() < 0.05, isDm: false, at }, config);
    }
    templates.push(s);
  }
  return Array.from({ length: count }, (_, i) => {
    const base = templates[i % templates.length]!;
    const shift = Math.floor(rand() * 12 * H);
    const state = { ...base, score: base.score * (0.5 + rand()), updatedAt: base.updatedAt - shift };
    return { id: `C${String(i).padStart(7, "0")}`, territoryId: `T${i % 50}`, state };
  });
}

export function measureRanking(sizes: number[] = [10_000, 100_000], limit = 20): Array<{ rooms: number; msPerRank: number }> {
  return sizes.map((n) => {
    const rooms = syntheticRooms(n);
    const options = { config: DEFAULT_ATTENTION_CONFIG, pins: new Set([rooms[0]!.id]), limit };
    for (let i = 0; i < 3; i++) rankRooms(rooms, NOW, options);
    const runs: number[] = [];
    for (let i = 0; i < 9; i++) {
      const started = performance.now();
      rankRooms(rooms, NOW, options);
      runs.push(performance.now() - started);
    }
    return { rooms: n, msPerRank: median(runs) };
  });
}

export function measureObserve(events = 200_000): { eventsPerSecond: number } {
  const rand = lcg(7);
  const config = DEFAULT_ATTENTION_CONFIG;
  const stream: AttentionEvent[] = Array.from({ length: 1_000 }, (_, i) => ({
    user: `U${Math.floor(rand() * 40)}`,
    ts: `${i}`,
    threadTs: rand() < 0.2 ? `${Math.max(0, i - 3)}` : undefined,
    text: TEXTS[i % TEXTS.length]!,
    mentionsPiper: rand() < 0.05,
    isDm: false,
    at: 0,
  }));
  let state = emptyAttention(NOW);
  const step = (i: number) => {
    const e = stream[i % stream.length]!;
    state = observe(state, { ...e, at: NOW + i * 5_000 }, config);
  };
  for (let i = 0; i < 20_000; i++) step(i);
  const started = performance.now();
  for (let i = 0; i < events; i++) step(i);
  const seconds = (performance.now() - started) / 1000;
  return { eventsPerSecond: events / seconds };
}
