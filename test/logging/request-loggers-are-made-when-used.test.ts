// Per-request loggers (lazyChild) cost nothing until something is logged through them, and then log exactly as a child would.
import { describe, expect, it } from "vitest";
import { createLogger, lazyChild } from "../../src/logger.js";
import { captureLog } from "../support/integrations.js";

describe("a request's logger is made on first use", () => {
  it("makes no pino child for a request that logs nothing, or only at levels that are off", () => {
    const log = captureLog();
    const logger = createLogger({ level: "info", destination: log.stream });
    let children = 0;
    const child = logger.child.bind(logger);
    logger.child = ((...args: Parameters<typeof child>) => (children++, child(...args))) as typeof logger.child;

    const quiet = lazyChild(logger, { eventId: "Ev1" });
    quiet.debug({ detail: 1 }, "off at info");
    quiet.trace("off too");
    expect(children).toBe(0);
    expect(log.lines).toHaveLength(0);
    expect(quiet.isLevelEnabled("debug")).toBe(false);
  });

  it("logs with its bindings, redacted like any child, and makes the child once", () => {
    const log = captureLog();
    const logger = createLogger({ level: "info", destination: log.stream });
    let children = 0;
    const child = logger.child.bind(logger);
    logger.child = ((...args: Parameters<typeof child>) => (children++, child(...args))) as typeof logger.child;

    const request = lazyChild(logger, { eventId: "Ev2", token: "xoxb-bound-secret" });
    request.info({ room: "C1" }, "answered");
    request.warn({ slack: { botToken: "xoxb-logged-secret" } }, "refused");
    expect(children).toBe(1);
    expect(log.lines).toHaveLength(2);
    expect(log.lines[0]).toMatchObject({ eventId: "Ev2", room: "C1", msg: "answered", token: "[redacted]" });
    expect(log.lines[1]).toMatchObject({ eventId: "Ev2", msg: "refused", slack: { botToken: "[redacted]" } });
    expect(JSON.stringify(log.lines)).not.toContain("secret");
  });
});
