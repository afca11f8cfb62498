import { describe, expect, it } from "vitest";
import {
  DEFAULT_ATTENTION_CONFIG as C,
  assess,
  attentionConfigSchema,
  emptyAttention,
  observe,
  parseAttention,
  scoreAt,
  signalsOf,
  type AttentionEvent,
  type RoomAttention,
} from "../../src/spatial/attention.js";

const MIN = 60_000;
const H = 60 * MIN;
const T0 = 1_700_000_000_000;

let seq = 0;
function msg(partial: Partial<AttentionEvent> & { at: number }): AttentionEvent {
  seq += 1;
  return { user: "U1", ts: `${partial.at / 1000}.${seq}`, text: "ok", mentionsPiper: false, isDm: false, ...partial };
}

function play(events: AttentionEvent[], state: RoomAttention = emptyAttention(T0)): RoomAttention {
  return events.reduce((s, e) => observe(s, e, C), state);
}

describe("decay", () => {
  it("halves the score after exactly one half-life", () => {
    const s = play([msg({ at: T0, mentionsPiper: true })]);
    expect(scoreAt(s, T0, C)).toBeCloseTo(C.weights.mention);
    expect(scoreAt(s, T0 + C.halfLifeMs, C)).toBeCloseTo(C.weights.mention / 2);
    expect(scoreAt(s, T0 + 2 * C.halfLifeMs, C)).toBeCloseTo(C.weights.mention / 4);
  });

  it("honours a room's own half-life", () => {
    const s = { ...play([msg({ at: T0, mentionsPiper: true })]), halfLifeMs: H };
    expect(scoreAt(s, T0 + H, C)).toBeCloseTo(C.weights.mention / 2);
    const later = observe(s, msg({ at: T0 + H, mentionsPiper: true }), C);
    expect(later.score).toBeCloseTo(C.weights.mention * 1.5);
  });

  it("decays to the event before adding, so the stored score is valid at updatedAt", () => {
    const s = play([msg({ at: T0 }), msg({ at: T0 + C.halfLifeMs })]);
    expect(s.updatedAt).toBe(T0 + C.halfLifeMs);
    expect(s.score).toBeCloseTo(C.weights.message * 1.5);
  });
});

describe("signals and their weights", () => {
  const s0 = emptyAttention(T0);
  const kinds = (e: Partial<AttentionEvent>, s = s0) => signalsOf(msg({ at: T0, ...e }), s, C).kinds;

  it("weighs each kind from config, several per message", () => {
    expect(kinds({ text: "fine" })).toEqual(["message"]);
    expect(kinds({ mentionsPiper: true })).toEqual(["mention"]);
    expect(kinds({ isDm: true })).toEqual(["dm"]);
    expect(kinds({ text: "is the deploy done?" })).toEqual(["question"]);
    expect(kinds({ text: "How do I deploy" })).toEqual(["question"]);
    expect(kinds({ text: "can someone look, prod is down" })).toEqual(["question", "urgent"]);
    const weights = { ...C.weights, mention: 7, question: 3 };
    const s = observe(s0, msg({ at: T0, mentionsPiper: true, text: "what now?" }), { ...C, weights });
    expect(s.score).toBeCloseTo(10);
  });

  it("matches urgent words on word boundaries, any case, emoji included", () => {
    const words = (text: string) => signalsOf(msg({ at: T0, text }), s0, C).urgentWords;
    expect(words("The site is DOWN")).toEqual(["down"]);
    expect(words("download finished, shutdown done, breakdown attached")).toEqual([]);
    expect(words("production deploy")).toEqual([]);
    expect(words("🔥 checkout :rotating_light: outage")).toEqual(["🔥", ":rotating_light:", "outage"]);
    expect(words("blocker: Blocker!")).toEqual(["blocker"]);
  });

  it("counts someone outside the usual participants once the room knows its regulars", () => {
    expect(kinds({ user: "STRANGER" })).toEqual(["message"]);
    const regulars = play(Array.from({ length: C.newcomerAfterMessages }, (_, i) => msg({ user: `U${i % 3}`, at: T0 + i * MIN })));
    expect(kinds({ user: "U1" }, regulars)).toEqual(["message"]);
    expect(kinds({ user: "STRANGER" }, regulars)).toEqual(["newcomer"]);
    const after = observe(regulars, msg({ user: "STRANGER", at: T0 + H }), C);
    expect(after.participants[0]).toBe("STRANGER");
    expect(assess(after, T0 + H, C).reasons).toContain("a message from someone outside the usual participants");
  });

  it("keeps participants bounded, most recent first", () => {
    const s = play(Array.from({ length: 100 }, (_, i) => msg({ user: `U${i}`, at: T0 + i })));
    expect(s.participants).toHaveLength(C.usualParticipants);
    expect(s.participants[0]).toBe("U99");
  });
});

describe("questions", () => {
  it("stop counting once someone else replies in their thread", () => {
    const q = msg({ user: "ASKER", at: T0, text: "who owns billing?" });
    const asked = play([q]);
    expect(asked.questions).toEqual([{ ts: q.ts, user: "ASKER", at: T0 }]);
    const ownFollowUp = observe(asked, msg({ user: "ASKER", at: T0 + MIN, threadTs: q.ts, text: "anyone" }), C);
    expect(ownFollowUp.questions).toHaveLength(1);
    const answered = observe(ownFollowUp, msg({ user: "HELPER", at: T0 + 2 * MIN, threadTs: q.ts, text: "me" }), C);
    expect(answered.questions).toEqual([]);
    // Only the three ordinary messages remain; the question's weight is withdrawn.
    expect(scoreAt(answered, T0 + 2 * MIN, C)).toBeCloseTo(
      C.weights.message * (Math.pow(2, -MIN / C.halfLifeMs) + 1),
      1,
    );
    expect(assess(answered, T0 + 3 * H, C).risk).toBe("low");
  });

  it("raise risk once older than questionAgeMs, and more after two hours", () => {
    const s = play([msg({ at: T0, text: "who owns billing?" })]);
    expect(assess(s, T0 + C.questionAgeMs - MIN, C).risk).toBe("low");
    const ageing = assess(s, T0 + C.questionAgeMs + MIN, C);
    expect(ageing.risk).toBe("medium");
    expect(ageing.reasons[0]).toBe("1 unanswered question, 31 min old");
    expect(assess(s, T0 + 2 * H, C).risk).toBe("high");
  });

  it("keeps only the newest open questions", () => {
    const s = play(Array.from({ length: 30 }, (_, i) => msg({ at: T0 + i * MIN, text: `q${i}?` })));
    expect(s.questions).toHaveLength(C.maxOpenQuestions);
    expect(s.questions.at(-1)!.at).toBe(T0 + 29 * MIN);
    expect(assess(s, T0 + 2 * H, C).reasons[0]).toBe("20 unanswered questions, the oldest 2 h");
  });
});

describe("reasons", () => {
  it("explain the room, most important first", () => {
    const s = play([
      msg({ at: T0, text: "checkout is down" }),
      msg({ at: T0 + 5 * MIN, text: "outage confirmed" }),
      msg({ at: T0 + 10 * MIN, text: "still an outage" }),
      msg({ at: T0 + 15 * MIN, text: "outage 🔥" }),
      msg({ at: T0 + 16 * MIN, mentionsPiper: true, text: "status" }),
      msg({ at: T0 + 17 * MIN, mentionsPiper: true, text: "status" }),
    ]);
    const a = assess(s, T0 + 20 * MIN, C);
    expect(a.risk).toBe("high");
    expect(a.reasons[0]).toBe("'outage' said 3 times and 2 other urgent words in the last 20 min");
    expect(a.reasons).toContain("2 mentions of Piper");
  });

  it("drop once their contribution has decayed below the floor", () => {
    const s = play([msg({ at: T0, mentionsPiper: true }), msg({ at: T0 + MIN, text: "prod is down" })]);
    expect(assess(s, T0 + H, C).reasons.length).toBeGreaterThan(0);
    const muchLater = assess(s, T0 + 5 * C.halfLifeMs, C);
    expect(muchLater.reasons).toEqual([]);
    expect(muchLater.risk).toBe("low");
  });

  it("restart their count when a kind comes back after dying out", () => {
    const s = play([msg({ at: T0, mentionsPiper: true }), msg({ at: T0 + 6 * C.halfLifeMs, mentionsPiper: true })]);
    expect(assess(s, T0 + 6 * C.halfLifeMs, C).reasons).toEqual(["a mention of Piper"]);
  });
});

describe("state at the boundary", () => {
  it("survives a JSON round trip and tolerates garbage and old shapes", () => {
    const s = play([msg({ at: T0, text: "who is on call?" }), msg({ at: T0 + MIN, text: "prod down" })]);
    expect(parseAttention(JSON.stringify(s))).toEqual(s);
    expect(parseAttention(s)).toEqual(s);
    expect(parseAttention("{not json")).toEqual(emptyAttention(0));
    expect(parseAttention(42)).toEqual(emptyAttention(0));
    const old = parseAttention({ score: 3, updatedAt: T0, questions: [{ ts: "1.1" }, { ts: "1.2", user: "U", at: T0 }] });
    expect(old.score).toBe(3);
    expect(old.questions).toEqual([{ ts: "1.2", user: "U", at: T0 }]);
    expect(old.baseline.since).toBe(T0);
    expect(() => observe(old, msg({ at: T0 + MIN }), C)).not.toThrow();
  });

  it("validates config, filling what is left out", () => {
    expect(attentionConfigSchema.parse({})).toEqual(C);
    expect(attentionConfigSchema.parse({ weights: { mention: 9 } }).weights).toEqual({ ...C.weights, mention: 9 });
    expect(() => attentionConfigSchema.parse({ halfLifeMs: -1 })).toThrow();
  });
});
