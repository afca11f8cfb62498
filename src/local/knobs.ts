// Test knobs: make the next calls of a Web API method fail, be rate-limited, slow, or answer 5xx.

export type KnobEffect =
  | { kind: "fail"; error: string }
  | { kind: "rateLimit"; retryAfterSec: number }
  | { kind: "delay"; ms: number }
  /** An HTTP 5xx; with afterWrite the call is performed first, so the outcome is unknown to the client but real. */
  | { kind: "serverError"; status: number; afterWrite: boolean };

export type KnobOutcome = Exclude<KnobEffect, { kind: "delay" }>;

export class Knobs {
  readonly #queued = new Map<string, KnobEffect[]>();

  add(method: string, effect: KnobEffect, count: number): void {
    const list = this.#queued.get(method) ?? [];
    for (let i = 0; i < count; i++) list.push(effect);
    this.#queued.set(method, list);
  }

  /** Takes the next effects for a call: at most one delay, then at most one fail/rate-limit/5xx. */
  take(method: string): { delayMs: number; outcome?: KnobOutcome } {
    const list = this.#queued.get(method);
    if (!list || list.length === 0) return { delayMs: 0 };
    let delayMs = 0;
    const delayAt = list.findIndex((e) => e.kind === "delay");
    if (delayAt >= 0) delayMs = (list.splice(delayAt, 1)[0] as { ms: number }).ms;
    const outcomeAt = list.findIndex((e) => e.kind !== "delay");
    const outcome = outcomeAt >= 0 ? (list.splice(outcomeAt, 1)[0] as KnobOutcome) : undefined;
    return { delayMs, outcome };
  }
}
