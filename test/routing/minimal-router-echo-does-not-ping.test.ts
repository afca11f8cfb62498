// The stand-in router's "I heard …" reply echoes the request without re-pinging the people or groups in it.
import { describe, expect, it } from "vitest";
import { MinimalRouter } from "../../src/routing/minimal-router.js";
import type { Inbound } from "../../src/slack/inbound.js";

const router = new MinimalRouter({ health: () => "ok", projects: async () => "none" });

function inbound(text: string): Inbound {
  return { id: "Ev1", source: "mention", territory: "T1", room: { id: "C1", kind: "channel" }, threadTs: "1.0", ts: "1.0", user: "U0ALICE001", text, history: [] };
}

describe("the minimal router's echo", () => {
  it("quotes mentions and links as plain text", async () => {
    const result = await router.route(inbound("tell <!subteam^S123> and <@U0BOB00001> <!here> about <https://example.com/x|the doc>"));
    expect(result.kind).toBe("reply");
    const text = (result as { text: string }).text;
    expect(text).toContain("“tell @group and @someone @here about the doc”");
    expect(text).not.toMatch(/<[@!]|<https/);
  });

  it("a long request is cut before a link, never inside one", async () => {
    const result = await router.route(inbound(`${"word ".repeat(39)}<https://example.com/${"p".repeat(50)}|label that is long>`));
    const text = (result as { text: string }).text;
    expect(text).not.toContain("<https");
    expect(text).toMatch(/word…”/);
  });

  it("the activity phrase used in error messages is neutralised too", () => {
    expect(router.activity(inbound("<!channel> please"))).toBe("answering “@channel please”");
  });
});
