// Compound detection, a step of its own: split on conjunctions and sequencing words, classify the parts, and call it compound when they disagree.
import type { Category } from "./intent.js";

export interface PartGuess {
  category: Category;
  action: string;
  confidence: number;
}

export interface CompoundPart extends PartGuess {
  text: string;
}

/**
 * Sequencing words always separate; a bare "and" only when a new request starts after it (a verb or a
 * question word), so "bugs and features in web" stays one request while "create an issue and tell me
 * what's blocked" splits.
 */
const REQUEST_START = "(?:please\\s+)?(?:also\\s+)?(?:create|make|file|open|close|assign|tell|show|list|give|summari[sz]e|review|plan|find|count|remind|check|post|write|draft|send|look|add|update|what|what's|whats|who|how|when|where|why|which|can|could|would|do|does|is|are)\\b";
const SEPARATOR = new RegExp(
  [
    "\\s*;\\s*",
    "\\s*\\n+\\s*",
    "\\s+\\+\\s+",
    "[,.!?]?\\s+(?:and\\s+)?then\\s+",
    "[,.!?]?\\s+(?:and\\s+)?also[,]?\\s+",
    "[,.!?]?\\s+(?:and\\s+)?after that[,]?\\s+",
    "\\s+[—–-]\\s+(?:and\\s+)?also\\s+",
    "[?!.]\\s+(?=" + REQUEST_START + ")",
    `,?\\s+and\\s+(?=${REQUEST_START})`,
  ].join("|"),
  "gi",
);

/** Parts shorter than this are fragments ("and", "then yes"), not requests. */
const MIN_PART_WORDS = 2;

export function splitRequests(text: string): string[] {
  const parts = text
    .split(SEPARATOR)
    .map((p) => p.trim().replace(/^[,.;:!?\s-]+|[,;:\s-]+$/g, "").replace(/^(?:and\s+)?(?:then|also|after that)[,]?\s+/i, ""))
    .filter((p) => p !== "");
  const merged: string[] = [];
  for (const part of parts) {
    if (part.split(/\s+/).length < MIN_PART_WORDS && merged.length > 0) merged[merged.length - 1] += ` ${part}`;
    else merged.push(part);
  }
  return merged;
}

/**
 * The parts when the message holds more than one request, else undefined. Parts count as different
 * requests when their categories differ, or their actions do; a part the classifier can't place
 * (below `minConfidence`) can't make a message compound on its own.
 */
export function detectCompound(text: string, classify: (part: string) => PartGuess, minConfidence = 0.3): CompoundPart[] | undefined {
  const pieces = splitRequests(text);
  if (pieces.length < 2) return undefined;
  const parts = pieces.map((piece) => ({ text: piece, ...classify(piece) })).filter((p) => p.confidence >= minConfidence && p.category !== "UNKNOWN");
  if (parts.length < 2) return undefined;
  const distinct = new Set(parts.map((p) => `${p.category}/${p.action}`));
  return distinct.size > 1 ? parts : undefined;
}
