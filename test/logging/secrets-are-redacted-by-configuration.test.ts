import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { captureLog } from "../support/integrations.js";

describe("logs never carry secrets", () => {
  it("redacts tokens, secrets, API keys, authorization headers and response_urls wherever they sit", () => {
    const log = captureLog();
    const logger = createLogger({ level: "info", destination: log.stream });
    logger.info(
      {
        token: "xoxb-1-secret",
        slack: { botToken: "xoxb-2-secret", signingSecret: "shh", appToken: "xapp-3-secret" },
        anthropic: { apiKey: "sk-ant-secret" },
        request: { headers: { authorization: "Bearer ghp_secret" } },
        command: { response_url: "https://hooks.slack.com/commands/T1/2/secret" },
        harmless: "kept",
      },
      "configured",
    );
    const line = JSON.stringify(log.lines[0]);
    for (const secret of ["xoxb-1-secret", "xoxb-2-secret", "shh", "xapp-3-secret", "sk-ant-secret", "ghp_secret", "hooks.slack.com"]) expect(line).not.toContain(secret);
    expect(line).toContain("kept");
    expect(line).toContain("[redacted]");
  });
});
