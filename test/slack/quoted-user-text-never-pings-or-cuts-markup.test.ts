// quoteUserText: echoing what someone wrote never re-pings anyone and never cuts Slack markup in half.
import { describe, expect, it } from "vitest";
import { quoteUserText } from "../../src/slack/format.js";

describe("quoteUserText", () => {
  it("turns user mentions into text that doesn't ping: the label when Slack sent one, else @someone", () => {
    expect(quoteUserText("ask <@U0BOB00001> and <@U0ALICE001|alice>", 100)).toBe("ask @someone and @alice");
    expect(quoteUserText("ask <@U0BOB00001>", 100, { userName: (id) => (id === "U0BOB00001" ? "bob" : undefined) })).toBe("ask @bob");
  });

  it("turns @here, @channel, @everyone and user groups into plain words", () => {
    expect(quoteUserText("<!here> <!channel|channel> <!everyone>", 100)).toBe("@here @channel @everyone");
    expect(quoteUserText("ping <!subteam^S123> and <!subteam^S456|@mobile-team>", 100)).toBe("ping @group and @mobile-team");
    expect(quoteUserText("due <!date^1700000000^{date_short}|Nov 14, 2023>", 100)).toBe("due Nov 14, 2023");
  });

  it("shows links as their label (or URL) and keeps channel links, which never ping", () => {
    expect(quoteUserText("see <https://example.com/a?b=1|the doc> and <https://example.com/x>", 100)).toBe("see the doc and https://example.com/x");
    expect(quoteUserText("in <#C0GENERAL1|general>", 100)).toBe("in <#C0GENERAL1|general>");
  });

  it("never leaves markup in the result that could ping", () => {
    const out = quoteUserText("<!here> <@U1> <!subteam^S1> <!channel> <https://x.y|z>", 1_000);
    expect(out).not.toMatch(/<[@!]/);
  });

  it("truncates with an ellipsis without cutting a link, a kept channel link or an &-entity in half", () => {
    const text = `${"a".repeat(20)} <https://example.com/very/long/path|a long label here> tail`;
    const out = quoteUserText(text, 30);
    expect(out).toBe(`${"a".repeat(20)}…`);
    expect(quoteUserText(`${"b".repeat(8)} &amp;&amp; more`, 16)).toBe(`${"b".repeat(8)} &amp;…`);
    expect(quoteUserText(`xx <#C0GENERAL1|general> yy`, 10)).toBe("xx…");
    expect(quoteUserText("short", 30)).toBe("short");
    expect(quoteUserText("exactly ten", 11)).toBe("exactly ten");
  });

  it("counts emoji as one character and never splits one", () => {
    expect(quoteUserText("😀😀😀😀", 3)).toBe("😀😀…");
  });
});
