// A policy aborts a call's signal when the call returns (cancelling work it left running), except Slack's,
// whose calls never take the signal: each abort built a DOMException with a stack, hundreds of times a second.
import { describe, expect, it } from "vitest";
import { integrationsAgainst } from "../support/integrations.js";

describe("aborting a call's signal when it returns", () => {
  it("happens for services whose calls take the signal, and not for Slack", async () => {
    const { integrations } = await integrationsAgainst({ notion: { url: "http://127.0.0.1:9", token: "ntn_unused" } });
    const signalAfter = async (name: "notion" | "slack") => {
      let seen: AbortSignal | undefined;
      await integrations.policies[name].execute(async (signal) => {
        seen = signal;
        return "done";
      }, "probe");
      return seen!;
    };
    expect((await signalAfter("notion")).aborted).toBe(true);
    expect((await signalAfter("slack")).aborted).toBe(false);
  });

  it("Slack's calls still time out at the policy's deadline and abort then", async () => {
    const { integrations } = await integrationsAgainst({}, { PIPER_SLACK_TIMEOUT_MS: "50" });
    let seen: AbortSignal | undefined;
    const hung = integrations.policies.slack.execute((signal) => {
      seen = signal;
      return new Promise<never>(() => undefined);
    }, "hung");
    await expect(hung).rejects.toMatchObject({ code: "TIMED_OUT" });
    expect(seen!.aborted).toBe(true);
  });
});
