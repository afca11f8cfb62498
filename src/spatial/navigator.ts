// Ranks rooms across territories by where attention is needed. Built to rank 100k rooms per call:
// one pass computes a number per room into a typed array, a bounded heap keeps the top `limit`,
// and only the rooms returned get their reasons and risk worked out.
import { assess, attentionValue, type AttentionConfig, type Risk, type RoomAttention } from "./attention.js";

export interface RoomInput {
  id: string;
  territoryId: string;
  name?: string;
  state: RoomAttention;
}

export interface RankOptions {
  config: AttentionConfig;
  /** Room ids this user pinned: they rise on this user's view only. */
  pins?: Set<string>;
  pinBoost?: number;
  limit?: number;
}

export interface RankedRoom {
  id: string;
  territoryId: string;
  name: string;
  /** The ranking value (see `attentionValue`) plus the pin boost. */
  score: number;
  risk: Risk;
  reasons: string[];
  pinned: boolean;
  spike: number;
}

export const DEFAULT_PIN_BOOST = 10;

/** True when room a belongs before room b: higher value first, then id so equal rooms keep one order. */
function before(values: Float64Array, rooms: RoomInput[], a: number, b: number): boolean {
  const va = values[a]!;
  const vb = values[b]!;
  return va > vb || (va === vb && rooms[a]!.id < rooms[b]!.id);
}

/** A heap whose root is the worst of the kept rooms, so a better room replaces it in O(log k). */
function siftDown(heap: Int32Array, size: number, at: number, worse: (a: number, b: number) => boolean): void {
  let i = at;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let worst = i;
    if (l < size && worse(heap[l]!, heap[worst]!)) worst = l;
    if (r < size && worse(heap[r]!, heap[worst]!)) worst = r;
    if (worst === i) return;
    const t = heap[i]!;
    heap[i] = heap[worst]!;
    heap[worst] = t;
    i = worst;
  }
}

function siftUp(heap: Int32Array, at: number, worse: (a: number, b: number) => boolean): void {
  let i = at;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!worse(heap[i]!, heap[parent]!)) return;
    const t = heap[i]!;
    heap[i] = heap[parent]!;
    heap[parent] = t;
    i = parent;
  }
}

/** Indices of the best `k` rooms, best first. */
export function topIndices(values: Float64Array, rooms: RoomInput[], k: number): number[] {
  const n = values.length;
  const isBefore = (a: number, b: number) => before(values, rooms, a, b);
  const worse = (a: number, b: number) => before(values, rooms, b, a);
  const order = (a: number, b: number) => (isBefore(a, b) ? -1 : isBefore(b, a) ? 1 : 0);
  if (k >= n) return Array.from({ length: n }, (_, i) => i).sort(order);
  const heap = new Int32Array(k);
  let size = 0;
  for (let i = 0; i < n; i++) {
    if (size < k) {
      heap[size] = i;
      siftUp(heap, size++, worse);
    } else if (isBefore(i, heap[0]!)) {
      heap[0] = i;
      siftDown(heap, size, 0, worse);
    }
  }
  return Array.from(heap.subarray(0, size)).sort(order);
}

export function rankRooms(rooms: RoomInput[], now: number, options: RankOptions): RankedRoom[] {
  const { config, pins } = options;
  const boost = options.pinBoost ?? DEFAULT_PIN_BOOST;
  const values = new Float64Array(rooms.length);
  for (let i = 0; i < rooms.length; i++) {
    const room = rooms[i]!;
    values[i] = attentionValue(room.state, now, config) + (pins?.has(room.id) ? boost : 0);
  }
  const limit = Math.max(0, Math.min(options.limit ?? rooms.length, rooms.length));
  return topIndices(values, rooms, limit).map((i) => {
    const room = rooms[i]!;
    const { risk, reasons, spike } = assess(room.state, now, config);
    return { id: room.id, territoryId: room.territoryId, name: room.name ?? room.id, score: values[i]!, risk, reasons, pinned: pins?.has(room.id) ?? false, spike };
  });
}
