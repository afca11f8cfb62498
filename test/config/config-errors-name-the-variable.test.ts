import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";

function errorFor(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

describe("config errors name the variable and what is expected", () => {
  it("rejects a non-numeric port", () => {
    const err = errorFor({ PIPER_PORT: "abc" });
    expect(err.variable).toBe("PIPER_PORT");
    expect(err.message).toMatch(/^PIPER_PORT: expected a port number/);
  });

  it("rejects a port out of range", () => {
    expect(errorFor({ PIPER_PORT: "70000" }).variable).toBe("PIPER_PORT");
  });

  it("rejects a DATABASE_URL that is not PostgreSQL", () => {
    const err = errorFor({ DATABASE_URL: "mysql://x@y/z" });
    expect(err.variable).toBe("DATABASE_URL");
    expect(err.message).toContain("PostgreSQL URL");
  });

  it("never echoes a secret it rejected", () => {
    const err = errorFor({ SLACK_BOT_TOKEN: "not-a-token-s3cr3t" });
    expect(err.variable).toBe("SLACK_BOT_TOKEN");
    expect(err.message).not.toContain("s3cr3t");
  });

  it("asks for the signing secret when only a bot token is set", () => {
    expect(errorFor({ SLACK_BOT_TOKEN: "xoxb-1" }).variable).toBe("SLACK_SIGNING_SECRET");
  });

  it("asks for the bot token when only an app token is set", () => {
    expect(errorFor({ SLACK_APP_TOKEN: "xapp-1" }).variable).toBe("SLACK_BOT_TOKEN");
  });

  it("rejects an unknown log level", () => {
    expect(errorFor({ LOG_LEVEL: "loud" }).variable).toBe("LOG_LEVEL");
  });
});

describe("modes follow from what is set", () => {
  it("runs locally on PGlite with nothing set", () => {
    const config = loadConfig({});
    expect(config.slack.mode).toBe("local");
    expect(config.database).toEqual({ kind: "pglite", dataDir: "./.piper/data" });
    expect(config.port).toBe(3000);
    expect(config.slack.localPort).toBe(3001);
  });

  it("uses the HTTP receiver with a bot token and signing secret", () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s" }).slack.mode).toBe("http");
  });

  it("uses Socket Mode when an app token is set", () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" }).slack.mode).toBe("socket");
  });

  it("switches to PostgreSQL when DATABASE_URL is set", () => {
    expect(loadConfig({ DATABASE_URL: "postgres://u@h:5432/d" }).database).toEqual({ kind: "postgres", url: "postgres://u@h:5432/d" });
  });

  it("treats empty variables as unset", () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: "", GITHUB_TOKEN: " " }).slack.mode).toBe("local");
  });

  it("normalises API base URLs", () => {
    const config = loadConfig({ SLACK_API_URL: "http://127.0.0.1:9/api", GITHUB_API_URL: "http://127.0.0.1:8/" });
    expect(config.slack.apiUrl).toBe("http://127.0.0.1:9/api/");
    expect(config.github.apiUrl).toBe("http://127.0.0.1:8");
  });
});
