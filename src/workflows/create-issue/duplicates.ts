// A likely duplicate among open issues: titles that share most of their meaningful words.
import type { Issue } from "../../integrations/github.js";

export interface LikelyDuplicate {
  number: number;
  title: string;
  url: string;
  /** 0..1: the Dice coefficient of the two titles' word sets. */
  similarity: number;
}

/** At or above this, an open issue is shown as a likely duplicate. */
export const DUPLICATE_THRESHOLD = 0.5;

const STOP = new Set("a an the and or of to in on for with when is are be it its this that not no from at by as after before while does doesn't dont don't can't cannot".split(" "));

function words(title: string): Set<string> {
  return new Set(
    title
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w.length > 1 && !STOP.has(w))
      // "fails"/"failing"/"failed" → "fail": crude, but titles are short and plurals are the usual miss.
      .map((w) => w.replace(/(?:ing|ed|es|s)$/, "") || w),
  );
}

export function titleSimilarity(a: string, b: string): number {
  const x = words(a);
  const y = words(b);
  if (x.size === 0 || y.size === 0) return 0;
  let shared = 0;
  for (const w of x) if (y.has(w)) shared++;
  return (2 * shared) / (x.size + y.size);
}

/** The most similar open issue at or above the threshold (ties: the lower number, the older issue). */
export function likelyDuplicate(title: string, open: Issue[]): LikelyDuplicate | undefined {
  let best: LikelyDuplicate | undefined;
  for (const issue of open) {
    if (issue.state !== "open") continue;
    const similarity = titleSimilarity(title, issue.title);
    if (similarity < DUPLICATE_THRESHOLD) continue;
    if (!best || similarity > best.similarity || (similarity === best.similarity && issue.number < best.number)) {
      best = { number: issue.number, title: issue.title, url: issue.url, similarity };
    }
  }
  return best;
}
