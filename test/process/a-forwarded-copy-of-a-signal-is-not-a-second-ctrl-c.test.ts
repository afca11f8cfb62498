// The first SIGINT/SIGTERM stops Piper cleanly; a second one means "now" — but not the copy npm forwards a moment later.
import { describe, expect, it } from "vitest";
import { createStopSignals } from "../../src/stop-signals.js";

describe("stop signals", () => {
  it("the first signal asks for a clean stop", () => {
    const next = createStopSignals(() => 0);
    expect(next("SIGINT")).toBe("stop");
  });

  it("the same signal again within a moment is npm's forwarded copy of one Ctrl-C, not a second press", () => {
    let clock = 0;
    const next = createStopSignals(() => clock);
    expect(next("SIGINT")).toBe("stop");
    clock = 5;
    expect(next("SIGINT")).toBe("repeat");
  });

  it("a second press after that means now", () => {
    let clock = 0;
    const next = createStopSignals(() => clock);
    next("SIGINT");
    clock = 5;
    next("SIGINT");
    clock = 2_000;
    expect(next("SIGINT")).toBe("now");
  });

  it("a different signal during a stop means now", () => {
    let clock = 0;
    const next = createStopSignals(() => clock);
    next("SIGTERM");
    clock = 5;
    expect(next("SIGINT")).toBe("now");
  });
});
