// What a SIGINT/SIGTERM means to a running Piper: the first asks for a clean stop, a second press means "now".

export type StopDecision = "stop" | "repeat" | "now";

/**
 * Under `npm start` one Ctrl-C arrives twice: the terminal signals the whole process group and npm forwards
 * its own copy to Piper a few milliseconds later. That copy must not cut the clean stop short (PGlite must be
 * closed, or its folder can be damaged), so the same signal within this window is the same request.
 */
export const REPEAT_WINDOW_MS = 1_000;

export function createStopSignals(now: () => number = Date.now): (signal: string) => StopDecision {
  let first: { signal: string; at: number } | undefined;
  return (signal) => {
    if (!first) {
      first = { signal, at: now() };
      return "stop";
    }
    return signal === first.signal && now() - first.at < REPEAT_WINDOW_MS ? "repeat" : "now";
  };
}
