// Per-request loggers (lazyChild) cost nothing until something is logged through them, and then log exactly as a child would.
import { describe, expect, it } from "vitest";
import { createLogger, lazyChild } from "../../src/logger.js";
import { captureLog } from "../support/integrations.js";

/** Piper's logger at info, writing to memory, counting the pino children made from it. */
function countingLogger() {
  const log = captureLog();
  const logger = createLogger({ level: "info", destination: log.stream });
  const counted = { logger, lines: log.lines, children: 0 };
  const child = logger.child.bind(logger);
  logger.child = ((...args: Parameters<typeof child>) => (counted.children++, child(...args))) as typeof logger.child;
  return counted;
}

describe("a request's logger is made on first use", () => {
  it("makes no pino child for a request that logs nothing, or only at levels that are off", () => {
    const counted = countingLogger();
    const quiet = lazyChild(counted.logger, { eventId: "Ev1" });
    quiet.debug({ detail: 1 }, "off at info");
    quiet.trace("off too");
    expect(counted.children).toBe(0);
    expect(counted.lines).toHaveLength(0);
    expect(quiet.isLevelEnabled("debug")).toBe(false);
  });

  it("logs with its bindings, redacted like any child, and makes the child once", () => {
    const counted = countingLogger();
    const request = lazyChild(counted.logger, { eventId: "Ev2", token: "xoxb-bound-secret" });
    request.info({ room: "C1" }, "answered");
    request.warn({ slack: { botToken: "xoxb-logged-secret" } }, "refused");
    expect(counted.children).toBe(1);
    expect(counted.lines).toHaveLength(2);
    expect(counted.lines[0]).toMatchObject({ eventId: "Ev2", room: "C1", msg: "answered", token: "[redacted]" });
    expect(counted.lines[1]).toMatchObject({ eventId: "Ev2", msg: "refused", slack: { botToken: "[redacted]" } });
    expect(JSON.stringify(counted.lines)).not.toContain("secret");
  });
});
