// The attention model as the room store sees it: its opaque state in, the next state and the stored score out.
import { DEFAULT_ATTENTION_CONFIG, emptyAttention, observe, parseAttention, type AttentionConfig, type RoomAttention } from "./attention.js";
import type { AttentionModel } from "./room-store.js";

export function attentionModel(config: AttentionConfig = DEFAULT_ATTENTION_CONFIG): AttentionModel {
  return {
    apply(state, event) {
      const current: RoomAttention = state === undefined ? emptyAttention(event.at) : parseAttention(state);
      return observe(current, { user: event.user, ts: event.ts, threadTs: event.threadTs, text: event.text, mentionsPiper: event.mentionsPiper, isDm: event.isDm, at: event.at }, config);
    },
    // Stored as (score, updatedAt) and decayed on read: the row is written when the room changes, never by a timer.
    score(state, now) {
      if (state === undefined) return { score: 0, updatedAt: now };
      const s = parseAttention(state);
      return { score: s.score, updatedAt: s.updatedAt };
    },
  };
}
