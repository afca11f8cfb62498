// At a terminal logs are pretty-printed (pino-pretty) unless LOG_FORMAT says otherwise; redaction is the same either way.
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createLogger, loadPrettifier } from "../../src/logger.js";

/** Collects what the logger writes, as raw text. */
function capture() {
  const out = { text: "", stream: new Writable({ write: (chunk, _enc, done) => void ((out.text += String(chunk)), done()) }) };
  return out;
}

const secrets = { slack: { botToken: "xoxb-2-secret", signingSecret: "shh" }, request: { headers: { authorization: "Bearer ghp_secret" } }, harmless: "kept" };

describe("log format", () => {
  it("at a terminal: human-readable lines, not JSON, with the same secrets redacted", () => {
    const out = capture();
    const logger = createLogger({ level: "info", destination: out.stream, tty: true });
    logger.info(secrets, "configured");
    expect(out.text).toContain("configured");
    expect(out.text).toMatch(/INFO/);
    expect(() => JSON.parse(out.text)).toThrow();
    for (const secret of ["xoxb-2-secret", "shh", "ghp_secret"]) expect(out.text).not.toContain(secret);
    expect(out.text).toContain("kept");
    expect(out.text).toContain("[redacted]");
  });

  it("not a terminal: one JSON object per line", () => {
    const out = capture();
    createLogger({ level: "info", destination: out.stream, tty: false }).info(secrets, "configured");
    const line = JSON.parse(out.text) as Record<string, unknown>;
    expect(line.msg).toBe("configured");
    expect(out.text).not.toContain("xoxb-2-secret");
  });

  it("LOG_FORMAT=json wins over a terminal, LOG_FORMAT=pretty over a pipe", () => {
    const json = capture();
    createLogger({ level: "info", destination: json.stream, tty: true, format: "json" }).info("hello");
    expect((JSON.parse(json.text) as { msg: string }).msg).toBe("hello");

    const pretty = capture();
    createLogger({ level: "info", destination: pretty.stream, tty: false, format: "pretty" }).info("hello");
    expect(pretty.text).toMatch(/INFO.*hello/);
    expect(pretty.text).not.toContain("\u001b["); // no colours into a pipe
  });

  it("reads LOG_FORMAT from the environment and names it when malformed", () => {
    expect(loadConfig({ LOG_FORMAT: "pretty" }).logFormat).toBe("pretty");
    expect(loadConfig({}).logFormat).toBeUndefined();
    expect(() => loadConfig({ LOG_FORMAT: "yaml" })).toThrow(/^LOG_FORMAT: expected json or pretty$/);
  });

  it("without pino-pretty installed (npm ci --omit=dev), a terminal gets JSON", () => {
    const missing = () => {
      throw Object.assign(new Error("Cannot find module 'pino-pretty'"), { code: "MODULE_NOT_FOUND" });
    };
    expect(loadPrettifier(missing)).toBeUndefined();
    expect(loadPrettifier()).toBeTypeOf("function");
  });
});
