// A programming error (a TypeError from a mapper) says nothing about a service's health, so it never opens its breaker.
import { describe, expect, it } from "vitest";
import { startFakeServer } from "../fakes/fake-server.js";
import { integrationsAgainst } from "../support/integrations.js";

describe("breakers and Piper's own bugs", () => {
  it("five TypeErrors in a row leave every default-classified breaker closed, with nothing counted", async () => {
    const { integrations } = await integrationsAgainst({ notion: { url: "http://127.0.0.1:9", token: "ntn_unused" }, anthropic: { url: "http://127.0.0.1:9", apiKey: "sk-ant-unused" } });
    for (const name of ["notion", "llm"] as const) {
      const policy = integrations.policies[name];
      for (let i = 0; i < 5; i++) {
        await expect(policy.execute(async () => (undefined as unknown as { title: string }).title, "mapper")).rejects.toBeInstanceOf(TypeError);
      }
      expect(policy.state).toBe("closed");
      expect(policy.snapshot()).toMatchObject({ consecutiveFailures: 0, totalFailures: 0 });
    }
  });

  it("while a raw network error that no client mapped still counts", async () => {
    const { integrations } = await integrationsAgainst({ notion: { url: "http://127.0.0.1:9", token: "ntn_unused" } });
    const closed = await startFakeServer([]);
    await closed.close();
    const policy = integrations.policies.notion;
    for (let i = 0; i < 3; i++) await expect(policy.execute((signal) => fetch(closed.url, { signal }), "fetch")).rejects.toThrow("fetch failed");
    expect(policy.state).toBe("open");
  });
});
