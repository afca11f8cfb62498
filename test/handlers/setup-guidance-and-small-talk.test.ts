// Pins the canonical answers that need no service: setup guidance from the live connections, and greetings that never ping.
import { describe, expect, it } from "vitest";
import { answerSmallTalk } from "../../src/handlers/conversation.js";
import { answerSetupGuidance } from "../../src/handlers/setup-guidance.js";
import { serviceHealth } from "../../src/health.js";

const since = new Date("2026-11-28T10:00:00Z");
const services = serviceHealth([
  { name: "slack", configured: true, state: "closed", consecutiveFailures: 0, totalFailures: 0, since },
  { name: "github", configured: true, state: "open", consecutiveFailures: 5, totalFailures: 5, lastError: "ServiceUnavailable: HTTP 502", since },
  { name: "notion", configured: false, state: "closed", consecutiveFailures: 0, totalFailures: 0, since },
  { name: "llm", configured: false, state: "closed", consecutiveFailures: 0, totalFailures: 0, since },
]);

describe("setup guidance", () => {
  it("gives the steps for a service that isn't connected", () => {
    const { text } = answerSetupGuidance({ action: "setup_notion" }, { services, slackMode: "http" });
    expect(text).toMatch(/^Notion isn't connected yet/);
    expect(text).toContain("NOTION_TOKEN");
    expect(text).toContain("share each database or page");
  });

  it("says a connected service is connected, and what to check when it is failing", () => {
    const { text } = answerSetupGuidance({ action: "setup_github" }, { services, slackMode: "http" });
    expect(text).toMatch(/^GitHub is connected, but/);
    expect(text).toContain("check the token");
  });

  it("knows how Piper reaches Slack right now", () => {
    expect(answerSetupGuidance({ action: "setup_slack" }, { services, slackMode: "local" }).text).toContain("local Slack emulator");
    expect(answerSetupGuidance({ action: "setup_slack" }, { services, slackMode: "socket" }).text).toContain("Socket Mode");
    expect(answerSetupGuidance({ action: "setup_model" }, { services, slackMode: "http" }).text).toContain("ANTHROPIC_API_KEY");
  });
});

describe("small talk", () => {
  it("greets, thanks and says goodbye without mentioning anyone", () => {
    for (const action of ["greeting", "thanks", "farewell"]) expect(answerSmallTalk({ action }).text).not.toMatch(/<[@!]/);
    expect(answerSmallTalk({ action: "greeting" }).text).toMatch(/^Hi! 👋 I'm Piper/);
  });
});
