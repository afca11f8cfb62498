// The attention model of one room (a Slack channel): a pure, JSON-serialisable state that every
// message updates in O(1) and that is decayed on read, so no timer ever has to rewrite a row.
// Time is always injected (`at`, `now` in ms) so the model is deterministic and testable.
import { z } from "zod";

export const SIGNAL_KINDS = ["mention", "dm", "question", "urgent", "newcomer", "message"] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

const HOUR = 3_600_000;
const MINUTE = 60_000;

export interface BaselineConfig {
  /** Half-life of the "right now" message rate that a spike is measured with. */
  recentHalfLifeMs: number;
  /** Half-life of the room's usual rates: long enough that one bad afternoon barely moves it. */
  usualHalfLifeMs: number;
  /** A room watched for less than this is treated as if it had been watched this long (and was silent), so a fresh room's first messages don't become its whole "normal". */
  minHistoryMs: number;
  /** Floor on the usual message rate, so a near-silent room needs real volume before it counts as spiking. */
  minUsualPerHour: number;
}

export interface RiskConfig {
  /** Spike (recent rate ÷ usual rate) at which the room is medium, and high, risk. */
  spikeMedium: number;
  spikeHigh: number;
  /** Below this recent rate (msgs/h) a ratio is noise: two messages in a dead room are not a spike. */
  minRecentPerHour: number;
  /** An unanswered question older than this (or this many ageing at once) makes the room high risk. */
  questionHighAgeMs: number;
  questionHighCount: number;
  /** This many urgent words within `urgentWindowMs` make the room high risk (one is medium). */
  urgentHighHits: number;
}

export interface AttentionConfig {
  halfLifeMs: number;
  weights: Record<SignalKind, number>;
  /** A question with no reply in its thread after this long is "ageing" and raises risk. */
  questionAgeMs: number;
  /** Questions older than this are let go: a day-old question is for a digest, not for ranking. */
  questionForgetMs: number;
  maxOpenQuestions: number;
  /** Added to the ranking value per ageing question; it does not decay while the question is open. */
  ageingQuestionWeight: number;
  questionStarters: string[];
  urgentWords: string[];
  urgentWindowMs: number;
  maxUrgentHits: number;
  /** How many recent posters make up "the usual participants". */
  usualParticipants: number;
  /** Until a room has seen this many messages everybody is new, so nobody counts as an outsider. */
  newcomerAfterMessages: number;
  /** A reason whose decayed contribution is below this is no longer worth saying. */
  reasonFloor: number;
  baseline: BaselineConfig;
  risk: RiskConfig;
}

export const DEFAULT_ATTENTION_CONFIG: AttentionConfig = {
  halfLifeMs: 4 * HOUR,
  weights: { mention: 5, dm: 4, question: 2, urgent: 4, newcomer: 1.5, message: 1 },
  questionAgeMs: 30 * MINUTE,
  questionForgetMs: 24 * HOUR,
  maxOpenQuestions: 20,
  ageingQuestionWeight: 3,
  questionStarters: ["who", "what", "when", "where", "why", "how", "can", "should"],
  urgentWords: ["down", "outage", "broken", "blocker", "urgent", "asap", "prod", "🔥", ":rotating_light:", ":fire:"],
  urgentWindowMs: HOUR,
  maxUrgentHits: 20,
  usualParticipants: 30,
  newcomerAfterMessages: 20,
  reasonFloor: 0.5,
  baseline: { recentHalfLifeMs: HOUR, usualHalfLifeMs: 72 * HOUR, minHistoryMs: 6 * HOUR, minUsualPerHour: 0.5 },
  risk: { spikeMedium: 2.5, spikeHigh: 5, minRecentPerHour: 3, questionHighAgeMs: 2 * HOUR, questionHighCount: 3, urgentHighHits: 3 },
};

const positive = z.number().positive().finite();
const nonNegative = z.number().nonnegative().finite();
const count = z.number().int().nonnegative();
const D = DEFAULT_ATTENTION_CONFIG;

/** Validates configuration at the boundary; anything left out takes its default. */
export const attentionConfigSchema = z.object({
  halfLifeMs: positive.default(D.halfLifeMs),
  weights: z
    .object({
      mention: nonNegative.default(D.weights.mention),
      dm: nonNegative.default(D.weights.dm),
      question: nonNegative.default(D.weights.question),
      urgent: nonNegative.default(D.weights.urgent),
      newcomer: nonNegative.default(D.weights.newcomer),
      message: nonNegative.default(D.weights.message),
    })
    .default(D.weights),
  questionAgeMs: positive.default(D.questionAgeMs),
  questionForgetMs: positive.default(D.questionForgetMs),
  maxOpenQuestions: count.default(D.maxOpenQuestions),
  ageingQuestionWeight: nonNegative.default(D.ageingQuestionWeight),
  questionStarters: z.array(z.string().min(1)).default(D.questionStarters),
  urgentWords: z.array(z.string().min(1)).default(D.urgentWords),
  urgentWindowMs: positive.default(D.urgentWindowMs),
  maxUrgentHits: count.default(D.maxUrgentHits),
  usualParticipants: count.default(D.usualParticipants),
  newcomerAfterMessages: count.default(D.newcomerAfterMessages),
  reasonFloor: nonNegative.default(D.reasonFloor),
  baseline: z
    .object({
      recentHalfLifeMs: positive.default(D.baseline.recentHalfLifeMs),
      usualHalfLifeMs: positive.default(D.baseline.usualHalfLifeMs),
      minHistoryMs: positive.default(D.baseline.minHistoryMs),
      minUsualPerHour: positive.default(D.baseline.minUsualPerHour),
    })
    .default(D.baseline),
  risk: z
    .object({
      spikeMedium: positive.default(D.risk.spikeMedium),
      spikeHigh: positive.default(D.risk.spikeHigh),
      minRecentPerHour: nonNegative.default(D.risk.minRecentPerHour),
      questionHighAgeMs: positive.default(D.risk.questionHighAgeMs),
      questionHighCount: count.default(D.risk.questionHighCount),
      urgentHighHits: count.default(D.risk.urgentHighHits),
    })
    .default(D.risk),
}) satisfies z.ZodType<AttentionConfig, unknown>;

// ---------------------------------------------------------------------------------------------
// State

/** One kind's live contribution: `value` is valid at `last` and decays from there. `count` and `first` describe the current episode, which restarts once the value has decayed below the reason floor. */
export interface ReasonEntry {
  value: number;
  count: number;
  first: number;
  last: number;
}

/** Exponentially weighted rates, stored undecayed-since-`at` and without the short-history correction (both are applied on read). */
export interface Baseline {
  at: number;
  /** When the room started being watched: the correction for a short history needs it. */
  since: number;
  recentPerHour: number;
  usualPerHour: number;
  /** The usual rate of attention weight, so "ordinary for this room" covers its usual questions and mentions too. */
  usualWeightPerHour: number;
}

export interface OpenQuestion {
  ts: string;
  user: string;
  at: number;
  /** Only when the question itself was posted in a thread: the thread its answers arrive in. */
  thread?: string;
}

export interface UrgentHit {
  word: string;
  at: number;
}

export interface RoomAttention {
  score: number;
  updatedAt: number;
  reasons: Partial<Record<SignalKind, ReasonEntry>>;
  baseline: Baseline;
  /** Newest last, at most `maxOpenQuestions`. */
  questions: OpenQuestion[];
  /** Newest last, at most `maxUrgentHits`. */
  urgent: UrgentHit[];
  /** Most recent poster first, at most `usualParticipants`. */
  participants: string[];
  /** Messages observed, capped: only "has the room seen enough to know its regulars" depends on it. */
  seen: number;
  halfLifeMs?: number;
}

export interface AttentionEvent {
  user: string;
  ts: string;
  threadTs?: string;
  text: string;
  mentionsPiper: boolean;
  isDm: boolean;
  at: number;
}

export function emptyAttention(now: number): RoomAttention {
  return {
    score: 0,
    updatedAt: now,
    reasons: {},
    baseline: { at: now, since: now, recentPerHour: 0, usualPerHour: 0, usualWeightPerHour: 0 },
    questions: [],
    urgent: [],
    participants: [],
    seen: 0,
  };
}

// ---------------------------------------------------------------------------------------------
// Parsing stored state: rows outlive code, so read what is there and default the rest.

function finite(x: unknown, fallback: number): number {
  return typeof x === "number" && Number.isFinite(x) ? x : fallback;
}

function record(x: unknown): Record<string, unknown> | undefined {
  return typeof x === "object" && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : undefined;
}

function parseEntry(x: unknown, fallbackAt: number): ReasonEntry | undefined {
  const r = record(x);
  if (!r) return undefined;
  const last = finite(r.last, fallbackAt);
  return { value: Math.max(0, finite(r.value, 0)), count: Math.max(0, finite(r.count, 0)), first: finite(r.first, last), last };
}

function parseQuestion(x: unknown): OpenQuestion | undefined {
  const r = record(x);
  if (!r || typeof r.ts !== "string" || typeof r.user !== "string" || typeof r.at !== "number") return undefined;
  return typeof r.thread === "string" ? { ts: r.ts, user: r.user, at: r.at, thread: r.thread } : { ts: r.ts, user: r.user, at: r.at };
}

function parseHit(x: unknown): UrgentHit | undefined {
  const r = record(x);
  return r && typeof r.word === "string" && typeof r.at === "number" ? { word: r.word, at: r.at } : undefined;
}

function defined<T>(x: T | undefined): x is T {
  return x !== undefined;
}

/** Accepts JSON text or an already-parsed value (a Json column); garbage gives an empty state rather than an exception in the event path. */
export function parseAttention(json: unknown): RoomAttention {
  let raw: unknown = json;
  if (typeof json === "string") {
    try {
      raw = JSON.parse(json);
    } catch {
      return emptyAttention(0);
    }
  }
  const r = record(raw);
  if (!r) return emptyAttention(0);
  const updatedAt = finite(r.updatedAt, 0);
  const state = emptyAttention(updatedAt);
  state.score = Math.max(0, finite(r.score, 0));
  const reasons = record(r.reasons) ?? {};
  for (const kind of SIGNAL_KINDS) {
    const entry = parseEntry(reasons[kind], updatedAt);
    if (entry) state.reasons[kind] = entry;
  }
  const b = record(r.baseline) ?? {};
  state.baseline = {
    at: finite(b.at, updatedAt),
    since: finite(b.since, updatedAt),
    recentPerHour: Math.max(0, finite(b.recentPerHour, 0)),
    usualPerHour: Math.max(0, finite(b.usualPerHour, 0)),
    usualWeightPerHour: Math.max(0, finite(b.usualWeightPerHour, 0)),
  };
  state.questions = Array.isArray(r.questions) ? r.questions.map(parseQuestion).filter(defined) : [];
  state.urgent = Array.isArray(r.urgent) ? r.urgent.map(parseHit).filter(defined) : [];
  state.participants = Array.isArray(r.participants) ? r.participants.filter((p): p is string => typeof p === "string") : [];
  state.seen = Math.max(0, Math.floor(finite(r.seen, 0)));
  const halfLife = finite(r.halfLifeMs, 0);
  if (halfLife > 0) state.halfLifeMs = halfLife;
  return state;
}

// ---------------------------------------------------------------------------------------------
// Decay

/** 2^(-elapsed/halfLife); time never runs backwards here, so a late event adds without inflating. Written as exp because V8's Math.pow is several times slower and ranking calls this per room; the price is that a whole half-life gives 0.4999999999999999x, not exactly half. */
export function decayFactor(elapsedMs: number, halfLifeMs: number): number {
  return elapsedMs <= 0 ? 1 : Math.exp((-Math.LN2 * elapsedMs) / halfLifeMs);
}

export function halfLifeOf(state: RoomAttention, config: AttentionConfig): number {
  return state.halfLifeMs ?? config.halfLifeMs;
}

export function scoreAt(state: RoomAttention, now: number, config: AttentionConfig): number {
  return state.score * decayFactor(now - state.updatedAt, halfLifeOf(state, config));
}

function entryValueAt(entry: ReasonEntry | undefined, now: number, halfLifeMs: number): number {
  return entry ? entry.value * decayFactor(now - entry.last, halfLifeMs) : 0;
}

// ---------------------------------------------------------------------------------------------
// Signals

export interface Signals {
  kinds: SignalKind[];
  /** Distinct urgent words (as configured, lower-cased) the text contains. */
  urgentWords: string[];
}

const urgentMatchers = new WeakMap<string[], RegExp>();

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Words match on word boundaries ("down" is not in "download"); emoji and :shortcodes: match as they are. */
function urgentMatcher(words: string[]): RegExp {
  let re = urgentMatchers.get(words);
  if (!re) {
    const alternatives = [...words]
      .sort((a, b) => b.length - a.length)
      .map((w) => (/^[\p{L}\p{N}_]/u.test(w) ? `(?<![\\p{L}\\p{N}_])${escapeRegExp(w)}(?![\\p{L}\\p{N}_])` : escapeRegExp(w)));
    re = alternatives.length ? new RegExp(alternatives.join("|"), "giu") : /(?!)/gu;
    urgentMatchers.set(words, re);
  }
  return re;
}

export function urgentWordsIn(text: string, config: AttentionConfig): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(urgentMatcher(config.urgentWords))) {
    const word = m[0].toLowerCase();
    if (!found.includes(word)) found.push(word);
  }
  return found;
}

export function isQuestion(text: string, config: AttentionConfig): boolean {
  const t = text.trim();
  if (t.endsWith("?")) return true;
  const first = /^[\p{L}']+/u.exec(t)?.[0].toLowerCase();
  return first !== undefined && config.questionStarters.includes(first);
}

function isNewcomer(user: string, state: RoomAttention, config: AttentionConfig): boolean {
  return state.seen >= config.newcomerAfterMessages && !state.participants.includes(user);
}

/** Everything a message says about its room; "message" stands for "nothing more than a message". */
export function signalsOf(event: AttentionEvent, state: RoomAttention, config: AttentionConfig): Signals {
  const kinds: SignalKind[] = [];
  if (event.mentionsPiper) kinds.push("mention");
  if (event.isDm) kinds.push("dm");
  if (isQuestion(event.text, config)) kinds.push("question");
  const urgentWords = urgentWordsIn(event.text, config);
  if (urgentWords.length > 0) kinds.push("urgent");
  if (isNewcomer(event.user, state, config)) kinds.push("newcomer");
  if (kinds.length === 0) kinds.push("message");
  return { kinds, urgentWords };
}

// ---------------------------------------------------------------------------------------------
// Update

function isReply(event: AttentionEvent): event is AttentionEvent & { threadTs: string } {
  return event.threadTs !== undefined && event.threadTs !== event.ts;
}

function addToEntry(entry: ReasonEntry | undefined, weight: number, at: number, halfLifeMs: number, floor: number): ReasonEntry {
  const alive = entryValueAt(entry, at, halfLifeMs);
  if (!entry || alive < floor) return { value: weight, count: 1, first: at, last: at };
  return { value: alive + weight, count: entry.count + 1, first: entry.first, last: Math.max(entry.last, at) };
}

function decayBaseline(b: Baseline, at: number, config: AttentionConfig): Baseline {
  const recent = decayFactor(at - b.at, config.baseline.recentHalfLifeMs);
  const usual = decayFactor(at - b.at, config.baseline.usualHalfLifeMs);
  return {
    at: Math.max(b.at, at),
    since: b.since,
    recentPerHour: b.recentPerHour * recent,
    usualPerHour: b.usualPerHour * usual,
    usualWeightPerHour: b.usualWeightPerHour * usual,
  };
}

/** One event adds ln2/halfLife (per hour) to an exponentially weighted rate: the steady state of a constant rate r is then r. */
function addToBaseline(b: Baseline, weight: number, config: AttentionConfig): Baseline {
  const perHour = (halfLifeMs: number) => (Math.LN2 * HOUR) / halfLifeMs;
  const recent = perHour(config.baseline.recentHalfLifeMs);
  const usual = perHour(config.baseline.usualHalfLifeMs);
  return {
    ...b,
    recentPerHour: b.recentPerHour + recent,
    usualPerHour: b.usualPerHour + usual,
    usualWeightPerHour: b.usualWeightPerHour + usual * weight,
  };
}

function withParticipant(participants: string[], user: string, size: number): string[] {
  if (participants[0] === user) return participants;
  const rest = participants.filter((p) => p !== user);
  return [user, ...rest].slice(0, size);
}

/** Removes the questions this reply answers and takes their (decayed) weight back out: an answered question no longer needs anyone. */
function answerQuestions(state: RoomAttention, event: AttentionEvent, config: AttentionConfig, halfLifeMs: number): RoomAttention {
  if (!isReply(event)) return state;
  const answered = state.questions.filter((q) => (q.thread ?? q.ts) === event.threadTs && q.user !== event.user && q.at <= event.at);
  if (answered.length === 0) return state;
  let withdrawn = 0;
  for (const q of answered) withdrawn += config.weights.question * decayFactor(event.at - q.at, halfLifeMs);
  const entry = state.reasons.question;
  const reasons = { ...state.reasons };
  if (entry) {
    const value = Math.max(0, entryValueAt(entry, event.at, halfLifeMs) - withdrawn);
    reasons.question = { ...entry, value, count: Math.max(0, entry.count - answered.length), last: Math.max(entry.last, event.at) };
  }
  return {
    ...state,
    score: Math.max(0, state.score - withdrawn),
    reasons,
    questions: state.questions.filter((q) => !answered.includes(q)),
  };
}

function openQuestion(event: AttentionEvent): OpenQuestion {
  const q: OpenQuestion = { ts: event.ts, user: event.user, at: event.at };
  if (isReply(event)) q.thread = event.threadTs;
  return q;
}

function keepQuestions(questions: OpenQuestion[], at: number, config: AttentionConfig): OpenQuestion[] {
  const live = questions.filter((q) => at - q.at < config.questionForgetMs);
  return live.slice(Math.max(0, live.length - config.maxOpenQuestions));
}

function keepHits(hits: UrgentHit[], config: AttentionConfig): UrgentHit[] {
  return hits.slice(Math.max(0, hits.length - config.maxUrgentHits));
}

/** Decays the state to `event.at`, then adds every signal the message carries; returns a new state. */
export function observe(state: RoomAttention, event: AttentionEvent, config: AttentionConfig): RoomAttention {
  const halfLifeMs = halfLifeOf(state, config);
  const at = Math.max(event.at, state.updatedAt);
  const signals = signalsOf(event, state, config);
  const decayed: RoomAttention = { ...state, score: scoreAt(state, at, config), updatedAt: at };
  const next = answerQuestions(decayed, event, config, halfLifeMs);
  const reasons = { ...next.reasons };
  let added = 0;
  for (const kind of signals.kinds) {
    const weight = config.weights[kind];
    added += weight;
    reasons[kind] = addToEntry(reasons[kind], weight, at, halfLifeMs, config.reasonFloor);
  }
  const firstMessage = state.seen === 0;
  const baseline = decayBaseline(firstMessage ? { ...next.baseline, since: event.at, at: event.at } : next.baseline, at, config);
  const questions = signals.kinds.includes("question") ? [...next.questions, openQuestion(event)] : next.questions;
  const hits = signals.urgentWords.map((word) => ({ word, at }));
  return {
    ...next,
    score: next.score + added,
    reasons,
    baseline: addToBaseline(baseline, added, config),
    questions: keepQuestions(questions, at, config),
    urgent: hits.length ? keepHits([...next.urgent, ...hits], config) : next.urgent,
    participants: withParticipant(next.participants, event.user, config.usualParticipants),
    seen: Math.min(state.seen + 1, Number.MAX_SAFE_INTEGER),
  };
}

// ---------------------------------------------------------------------------------------------
// Reading: rates, spike, the ranking value

/** Early on an exponentially weighted rate under-reads by (1 - 2^(-history/halfLife)); dividing it back out is the usual bias correction. */
function corrected(rate: number, historyMs: number, halfLifeMs: number): number {
  // Past ~50 half-lives the correction is 1 to double precision; skipping it saves the hot path an exp.
  return historyMs > 50 * halfLifeMs ? rate : rate / (1 - decayFactor(historyMs, halfLifeMs));
}

export interface Rates {
  recentPerHour: number;
  usualPerHour: number;
  usualWeightPerHour: number;
}

export function ratesAt(state: RoomAttention, now: number, config: AttentionConfig): Rates {
  const b = state.baseline;
  const cfg = config.baseline;
  const history = Math.max(now - b.since, cfg.minHistoryMs);
  const usualDecay = decayFactor(now - b.at, cfg.usualHalfLifeMs);
  return {
    recentPerHour: corrected(b.recentPerHour * decayFactor(now - b.at, cfg.recentHalfLifeMs), history, cfg.recentHalfLifeMs),
    usualPerHour: corrected(b.usualPerHour * usualDecay, history, cfg.usualHalfLifeMs),
    usualWeightPerHour: corrected(b.usualWeightPerHour * usualDecay, history, cfg.usualHalfLifeMs),
  };
}

/** Recent message rate against the room's own usual rate (floored, so a silent room needs real volume). */
export function spikeOf(rates: Rates, config: AttentionConfig): number {
  return rates.recentPerHour / Math.max(rates.usualPerHour, config.baseline.minUsualPerHour);
}

function liveQuestions(state: RoomAttention, now: number, config: AttentionConfig): OpenQuestion[] {
  return state.questions.filter((q) => now - q.at < config.questionForgetMs);
}

function ageingCount(state: RoomAttention, now: number, config: AttentionConfig): number {
  let n = 0;
  for (const q of state.questions) {
    const age = now - q.at;
    if (age >= config.questionAgeMs && age < config.questionForgetMs) n++;
  }
  return n;
}

/**
 * The value rooms are ranked by: the decayed score above what this room's usual traffic would
 * keep it at (a steady weight rate w holds the score at w·halfLife/ln2), plus a fixed weight per
 * ageing question. A busy room on an ordinary day sits near zero; a quiet room that spikes does not.
 * Written flat, without `ratesAt`'s object, because the navigator calls it for every room.
 */
export function attentionValue(state: RoomAttention, now: number, config: AttentionConfig): number {
  const ageing = state.questions.length === 0 ? 0 : config.ageingQuestionWeight * ageingCount(state, now, config);
  if (state.score <= 0) return ageing;
  const halfLifeMs = halfLifeOf(state, config);
  const score = state.score * decayFactor(now - state.updatedAt, halfLifeMs);
  const b = state.baseline;
  if (b.usualWeightPerHour <= 0) return score + ageing;
  const usualHalfLife = config.baseline.usualHalfLifeMs;
  const history = Math.max(now - b.since, config.baseline.minHistoryMs);
  const usual = corrected(b.usualWeightPerHour * decayFactor(now - b.at, usualHalfLife), history, usualHalfLife);
  const ordinary = (usual * halfLifeMs) / (HOUR * Math.LN2);
  return Math.max(0, score - ordinary) + ageing;
}

// ---------------------------------------------------------------------------------------------
// Explaining

export type Risk = "low" | "medium" | "high";

export interface Assessment {
  score: number;
  risk: Risk;
  reasons: string[];
  spike: number;
}

/** 0 = no concern, 1 = worth a look, 2 = act now. */
type Level = 0 | 1 | 2;

interface Reason {
  text: string;
  level: Level;
  weight: number;
}

export function formatDuration(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / MINUTE));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(ms / HOUR);
  if (hours < 48) return `${hours} h`;
  return `${Math.round(ms / (24 * HOUR))} d`;
}

function spikeLevel(spike: number, rates: Rates, config: AttentionConfig): Level {
  if (rates.recentPerHour < config.risk.minRecentPerHour) return 0;
  return spike >= config.risk.spikeHigh ? 2 : spike >= config.risk.spikeMedium ? 1 : 0;
}

function questionReason(state: RoomAttention, now: number, config: AttentionConfig, halfLifeMs: number): Reason | undefined {
  const open = liveQuestions(state, now, config);
  if (open.length === 0) return undefined;
  const oldest = now - Math.min(...open.map((q) => q.at));
  const ageing = ageingCount(state, now, config);
  const high = oldest >= config.risk.questionHighAgeMs || ageing >= config.risk.questionHighCount;
  const level: Level = ageing === 0 ? 0 : high ? 2 : 1;
  const text =
    open.length === 1
      ? `1 unanswered question, ${formatDuration(oldest)} old`
      : `${open.length} unanswered questions, the oldest ${formatDuration(oldest)}`;
  return { text, level, weight: entryValueAt(state.reasons.question, now, halfLifeMs) + ageing * config.ageingQuestionWeight };
}

/** The most said word first; ties go to the most recent so the text follows the conversation. */
function topWord(hits: UrgentHit[]): { word: string; times: number; distinct: number } {
  const counts = new Map<string, number>();
  for (const h of hits) counts.set(h.word, (counts.get(h.word) ?? 0) + 1);
  let word = "";
  let times = 0;
  for (let i = hits.length - 1; i >= 0; i--) {
    const w = hits[i]!.word;
    const c = counts.get(w)!;
    if (c > times) [word, times] = [w, c];
  }
  return { word, times, distinct: counts.size };
}

function urgentReason(state: RoomAttention, now: number, config: AttentionConfig, halfLifeMs: number): Reason | undefined {
  const entry = state.reasons.urgent;
  const value = entryValueAt(entry, now, halfLifeMs);
  if (!entry || value < config.reasonFloor) return undefined;
  const episode = state.urgent.filter((h) => h.at >= entry.first && h.at <= now);
  if (episode.length === 0) return undefined;
  const recent = episode.filter((h) => now - h.at <= config.urgentWindowMs).length;
  const level: Level = recent >= config.risk.urgentHighHits ? 2 : recent > 0 ? 1 : 0;
  const { word, times, distinct } = topWord(episode);
  const span = `in the last ${formatDuration(now - episode[0]!.at)}`;
  const said = times > 1 ? `'${word}' said ${times} times` : `'${word}'`;
  const others = distinct - 1;
  const text = others > 0 ? `${said} and ${others} other urgent word${others > 1 ? "s" : ""} ${span}` : `${said} ${span}`;
  return { text, level, weight: value };
}

const COUNTED: Array<[SignalKind, string, string]> = [
  ["mention", "a mention of Piper", "mentions of Piper"],
  ["dm", "a direct message", "direct messages"],
  ["newcomer", "a message from someone outside the usual participants", "messages from people outside the usual participants"],
];

function countedReasons(state: RoomAttention, now: number, config: AttentionConfig, halfLifeMs: number): Reason[] {
  const out: Reason[] = [];
  for (const [kind, one, many] of COUNTED) {
    const entry = state.reasons[kind];
    const value = entryValueAt(entry, now, halfLifeMs);
    if (!entry || value < config.reasonFloor || entry.count < 1) continue;
    out.push({ text: entry.count === 1 ? one : `${entry.count} ${many}`, level: 0, weight: value });
  }
  return out;
}

function spikeReason(spike: number, level: Level, excess: number): Reason | undefined {
  if (level === 0) return undefined;
  return { text: `${spike >= 10 ? Math.round(spike) : Math.round(spike * 10) / 10}× its usual activity`, level, weight: excess };
}

/**
 * Risk: each factor rates 0–2 —
 *  - spike: ≥ spikeMedium (2.5×) is 1, ≥ spikeHigh (5×) is 2, only when the recent rate is ≥ minRecentPerHour (3/h);
 *  - questions: any open question older than questionAgeMs (30 min) is 1; one older than questionHighAgeMs (2 h) or questionHighCount (3) ageing at once is 2;
 *  - urgent words within urgentWindowMs (1 h): 1 is 1, urgentHighHits (3) is 2.
 * High if any factor is 2 or two factors are 1; medium if one is 1; low otherwise.
 */
export function riskOf(levels: Level[]): Risk {
  const max = Math.max(0, ...levels);
  const raised = levels.filter((l) => l >= 1).length;
  return max >= 2 || raised >= 2 ? "high" : max === 1 ? "medium" : "low";
}

export function assess(state: RoomAttention, now: number, config: AttentionConfig): Assessment {
  const halfLifeMs = halfLifeOf(state, config);
  const score = scoreAt(state, now, config);
  const rates = ratesAt(state, now, config);
  const spike = spikeOf(rates, config);
  const sLevel = spikeLevel(spike, rates, config);
  const candidates = [
    questionReason(state, now, config, halfLifeMs),
    urgentReason(state, now, config, halfLifeMs),
    spikeReason(spike, sLevel, attentionValue(state, now, config)),
    ...countedReasons(state, now, config, halfLifeMs),
  ].filter(defined);
  // Stable sort: equal reasons keep the fixed order above, so the text is deterministic.
  const ordered = candidates.sort((a, b) => b.level - a.level || b.weight - a.weight);
  const risk = riskOf(candidates.map((r) => r.level));
  return { score, risk, reasons: ordered.map((r) => r.text), spike };
}
