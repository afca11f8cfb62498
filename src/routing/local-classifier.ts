// Piper's local intent classifier: TF-IDF over word and character n-grams into a softmax regression, so messages can be routed without a language model.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../logger.js";

export interface LabelledText { text: string; label: string }
export interface Prediction { label: string; probability: number }
export interface TrainOptions { epochs?: number; l2?: number; seed?: number; minDf?: number }

/** Bump whenever features or the layout change: a cache written by another version is retrained, never misread. */
const FORMAT_VERSION = 1;
export interface SerializedModel {
  version: number;
  labels: string[];
  features: string; // base64 Int32: the FNV-1a hash of each feature column, in column order
  idf: string; // base64 Float32, one per column
  weights: string; // base64 Float32, row per column: weights[column * labels.length + label]
  bias: number[];
}

interface Sparse { idx: Int32Array; val: Float64Array }

// Slack shortcodes and emoji (with skin tones and ZWJ sequences) are tokens; otherwise words are runs of letters and digits, apostrophes dropped.
const TOKEN = /:[a-z0-9_+-]+:|\p{Extended_Pictographic}(?:\uFE0F|\p{Emoji_Modifier}|\u200D\p{Extended_Pictographic})*|[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;

export function tokenize(text: string): string[] {
  const tokens = text.toLowerCase().match(TOKEN) ?? [];
  // Issue numbers, dates and counts carry no intent; one "0" lets "#12" and "#4031" share a feature.
  return tokens.map((t) => (t.startsWith(":") ? t : t.replace(/['’]/g, "").replace(/\p{Nd}+/gu, "0")));
}

// FNV-1a, folded over UTF-16 units so n-grams are hashed in place without allocating substrings.
const FNV_OFFSET = 0x811c9dc5;
function fnv(hash: number, text: string, from = 0, to = text.length): number {
  for (let i = from; i < to; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash | 0;
}
// Distinct seeds keep the word "cat" and the character gram "cat" apart.
const WORD_SEED = fnv(FNV_OFFSET, "w");
const CHAR_SEED = fnv(FNV_OFFSET, "c");

/**
 * Raw counts of hashed features. Character 3–5-grams are taken inside each word padded with spaces (" lsit "), not across
 * words: word bigrams already capture adjacency, per-word grams are what survive a typo, and the vocabulary is half the size.
 */
export function features(text: string): Map<number, number> {
  const counts = new Map<number, number>();
  const add = (h: number) => counts.set(h, (counts.get(h) ?? 0) + 1);
  let previous = 0;
  tokenize(text).forEach((token, i) => {
    const word = fnv(WORD_SEED, token);
    add(word);
    if (i > 0) add(fnv(fnv(previous, " "), token));
    previous = word;
    if (token.startsWith(":") || !/[\p{L}\p{N}]/u.test(token)) return; // emoji and shortcodes are whole tokens only
    const padded = ` ${token} `;
    for (let start = 0; start + 3 <= padded.length; start++) {
      let h = fnv(CHAR_SEED, padded, start, start + 2);
      for (let end = start + 3; end <= Math.min(start + 5, padded.length); end++) add((h = fnv(h, padded, end - 1, end)));
    }
  });
  return counts;
}

/** Sublinear tf × idf over the known columns, L2-normalised so long and short messages weigh alike. */
function vectorize(counts: Map<number, number>, columns: Map<number, number>, idf: Float32Array): Sparse {
  const idx = new Int32Array(counts.size);
  const val = new Float64Array(counts.size);
  let n = 0, squares = 0;
  for (const [hash, tf] of counts) {
    const column = columns.get(hash);
    if (column === undefined) continue; // never seen in training: its weight would be zero anyway
    idx[n] = column;
    squares += (val[n++] = (1 + Math.log(tf)) * idf[column]!) ** 2;
  }
  const norm = Math.sqrt(squares) || 1;
  for (let j = 0; j < n; j++) val[j]! /= norm;
  return { idx: idx.subarray(0, n), val: val.subarray(0, n) };
}

/** In place, shifted by the maximum so exp never overflows. */
function softmax(scores: Float64Array): Float64Array {
  let max = -Infinity;
  for (const s of scores) max = Math.max(max, s);
  let sum = 0;
  for (let k = 0; k < scores.length; k++) sum += scores[k] = Math.exp(scores[k]! - max);
  for (let k = 0; k < scores.length; k++) scores[k]! /= sum;
  return scores;
}

function scores(idx: Int32Array, val: Float64Array, weights: Float32Array | Float64Array, bias: Float64Array, out: Float64Array): Float64Array {
  const K = out.length;
  for (let k = 0; k < K; k++) out[k] = bias[k]!;
  for (let j = 0, row = 0, v = 0; j < idx.length; j++) {
    (row = idx[j]! * K), (v = val[j]!);
    for (let k = 0; k < K; k++) out[k] = out[k]! + v * weights[row + k]!;
  }
  return out;
}

/** Seeded PRNG (mulberry32): the shuffle, hence the model, is the same on every machine. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Trainer {
  w: Float64Array; m: Float64Array; v: Float64Array; grad: Float64Array; // features × labels, flattened
  b: Float64Array; mb: Float64Array; vb: Float64Array; gradB: Float64Array; // one per label
  step: number; l2: number;
  touched: Int32Array; stamp: Int32Array; // the columns a batch touched, and the batch that last touched each
}
const BATCH = 32, RATE = 0.05, BETA1 = 0.9, BETA2 = 0.999, EPS = 1e-8;

/** One Adam step on weights[from, to), adding the L2 penalty's gradient and clearing the accumulated one. */
function adam(w: Float64Array, g: Float64Array, m: Float64Array, v: Float64Array, from: number, to: number, l2: number, step: number): void {
  const c1 = 1 - BETA1 ** step, c2 = 1 - BETA2 ** step;
  for (let i = from; i < to; i++) {
    const gi = g[i]! + l2 * w[i]!;
    g[i] = 0;
    const mi = (m[i] = BETA1 * m[i]! + (1 - BETA1) * gi);
    const vi = (v[i] = BETA2 * v[i]! + (1 - BETA2) * gi * gi);
    w[i] = w[i]! - (RATE * mi) / c1 / (Math.sqrt(vi / c2) + EPS);
  }
}

/**
 * One pass of mini-batch Adam over the data in `order`. Updates are lazy: only the rows of features present in the
 * batch are stepped (their L2 penalty included), so a step costs the batch's non-zeros, not the whole weight matrix.
 */
function trainEpoch(t: Trainer, xs: Sparse[], ys: Int32Array, order: Int32Array): void {
  const { w, grad, gradB, stamp, touched } = t; // locals: V8 keeps them in registers in the hot loops below
  const K = t.b.length;
  const p = new Float64Array(K);
  for (let start = 0; start < order.length; start += BATCH) {
    const end = Math.min(start + BATCH, order.length);
    const scale = 1 / (end - start);
    const step = ++t.step;
    let count = 0;
    for (let n = start; n < end; n++) {
      const { idx, val } = xs[order[n]!]!;
      softmax(scores(idx, val, w, t.b, p));
      p[ys[order[n]!]!]! -= 1; // p − onehot: the cross-entropy gradient of the scores
      for (let k = 0; k < K; k++) gradB[k] = gradB[k]! + p[k]! * scale;
      for (let j = 0; j < idx.length; j++) {
        const column = idx[j]!, row = column * K, v = val[j]! * scale;
        if (stamp[column] !== step) (stamp[column] = step), (touched[count++] = column);
        for (let k = 0; k < K; k++) grad[row + k] = grad[row + k]! + v * p[k]!;
      }
    }
    for (let i = 0; i < count; i++) adam(w, grad, t.m, t.v, touched[i]! * K, touched[i]! * K + K, t.l2, step);
    adam(t.b, gradB, t.mb, t.vb, 0, K, 0, step); // the bias carries class priors: not penalised
  }
}

export class LocalClassifier {
  private constructor(
    readonly labels: readonly string[],
    private readonly columns: Map<number, number>,
    private readonly idf: Float32Array,
    private readonly weights: Float32Array,
    private readonly bias: Float64Array,
  ) {}

  static train(examples: LabelledText[], options: TrainOptions = {}): LocalClassifier {
    const { epochs = 20, l2 = 1e-4, seed = 1, minDf = 2 } = options;
    if (examples.length === 0) throw new Error("local classifier: nothing to train on");
    const labels = [...new Set(examples.map((e) => e.label))].sort();
    const counts = examples.map((e) => features(e.text));
    // Vocabulary: the hashed features in at least minDf examples, in first-seen order so it is deterministic. A feature
    // seen once is mostly a name or a typo: noise that would only grow the model.
    const seen = new Map<number, number>();
    for (const c of counts) for (const hash of c.keys()) seen.set(hash, (seen.get(hash) ?? 0) + 1);
    const columns = new Map<number, number>();
    const df: number[] = [];
    for (const [hash, d] of seen) if (d >= minDf) columns.set(hash, df.push(d) - 1);
    const idf = Float32Array.from(df, (d) => Math.log((1 + examples.length) / (1 + d)) + 1); // smooth idf
    const xs = counts.map((c) => vectorize(c, columns, idf));
    const ys = Int32Array.from(examples, (e) => labels.indexOf(e.label));
    const [F, K] = [columns.size, labels.length];
    const zeros = (n: number) => new Float64Array(n);
    const t: Trainer = { w: zeros(F * K), m: zeros(F * K), v: zeros(F * K), grad: zeros(F * K), b: zeros(K), mb: zeros(K), vb: zeros(K),
      gradB: zeros(K), step: 0, l2, touched: new Int32Array(F), stamp: new Int32Array(F) };
    const random = mulberry32(seed);
    const order = Int32Array.from(examples, (_, i) => i);
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) { // Fisher–Yates
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      trainEpoch(t, xs, ys, order);
    }
    // Stored as Float32 both here and in JSON, so a model read back from its cache predicts exactly as it did when trained.
    return new LocalClassifier(labels, columns, idf, Float32Array.from(t.w), Float64Array.from(Float32Array.from(t.b)));
  }

  /** Every label with its probability, most likely first. */
  predict(text: string): Prediction[] {
    const { idx, val } = vectorize(features(text), this.columns, this.idf);
    const p = softmax(scores(idx, val, this.weights, this.bias, new Float64Array(this.labels.length)));
    return this.labels.map((label, k) => ({ label, probability: p[k]! })).sort((a, b) => b.probability - a.probability);
  }

  top(text: string): Prediction {
    return this.predict(text)[0]!; // predict is cheap enough that a second, max-only path isn't worth its code
  }

  toJSON(): SerializedModel {
    const bytes = (a: Int32Array | Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("base64");
    return {
      version: FORMAT_VERSION, labels: [...this.labels], features: bytes(Int32Array.from(this.columns.keys())),
      idf: bytes(this.idf), weights: bytes(this.weights), bias: Array.from(this.bias),
    };
  }

  /** Throws on anything that is not a model of this version with consistent sizes. */
  static fromJSON(json: SerializedModel): LocalClassifier {
    const decode = (s: unknown) => { // copied: Buffer's pool gives no alignment guarantee for the typed-array views
      if (typeof s !== "string") throw new Error("local classifier: field is not base64");
      const b = Buffer.from(s, "base64");
      if (b.length % 4 !== 0) throw new Error("local classifier: truncated array");
      return new Uint8Array(b).buffer;
    };
    if (json?.version !== FORMAT_VERSION) throw new Error(`local classifier: format ${json?.version}, expected ${FORMAT_VERSION}`);
    const { labels, bias } = json;
    if (!Array.isArray(labels) || labels.length === 0 || !labels.every((l) => typeof l === "string")) throw new Error("local classifier: bad labels");
    if (!Array.isArray(bias) || bias.length !== labels.length || !bias.every(Number.isFinite)) throw new Error("local classifier: bad bias");
    const hashes = new Int32Array(decode(json.features));
    const idf = new Float32Array(decode(json.idf));
    const weights = new Float32Array(decode(json.weights));
    if (idf.length !== hashes.length || weights.length !== hashes.length * labels.length) throw new Error("local classifier: sizes disagree");
    const columns = new Map(Array.from(hashes, (h, i) => [h, i] as const));
    return new LocalClassifier([...labels], columns, idf, weights, Float64Array.from(bias));
  }
}

/**
 * The classifier for these examples: read from `<cacheDir>/local-classifier-<dataHash>.json` when a valid one is there,
 * otherwise trained and written atomically (temp + rename), so a crash mid-write never leaves a half file to be read.
 */
export function loadOrTrain(examples: LabelledText[], options: { cacheDir?: string; dataHash: string; logger?: Pick<Logger, "info" | "warn"> }): LocalClassifier {
  const { cacheDir, dataHash, logger } = options;
  if (!cacheDir) return LocalClassifier.train(examples);
  const file = join(cacheDir, `local-classifier-${dataHash}.json`);
  try {
    const model = LocalClassifier.fromJSON(JSON.parse(readFileSync(file, "utf8")) as SerializedModel);
    logger?.info({ file }, "local classifier loaded from cache");
    return model;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") logger?.warn({ file, err: String(err) }, "local classifier cache unusable; retraining");
  }
  const started = performance.now();
  const model = LocalClassifier.train(examples);
  logger?.info({ file, examples: examples.length, ms: Math.round(performance.now() - started) }, "local classifier trained");
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`; // unique, so two processes starting together never share one
  try {
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(temp, JSON.stringify(model));
    renameSync(temp, file);
  } catch (err) {
    rmSync(temp, { force: true });
    logger?.warn({ file, err: String(err) }, "local classifier cache not written"); // the model still works; next start retrains
  }
  return model;
}
