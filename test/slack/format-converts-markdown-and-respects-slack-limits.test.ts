import { describe, expect, it } from "vitest";
import { BLOCK_LIMIT, SECTION_LIMIT, escapeMrkdwn, fallbackText, markdownToMrkdwn, splitText, toSections } from "../../src/slack/format.js";

describe("markdownToMrkdwn", () => {
  it("converts bold, links, headings, strike and bullets", () => {
    const md = "# Plan\n**Ship** it, see [the board](https://example.com/b).\n- one\n- ~~two~~";
    expect(markdownToMrkdwn(md)).toBe("*Plan*\n*Ship* it, see <https://example.com/b|the board>.\n• one\n• ~two~");
  });

  it("escapes Slack control characters in prose but leaves code alone", () => {
    expect(markdownToMrkdwn("a < b & c `x<y>` ```\n<tag>\n```")).toBe("a &lt; b &amp; c `x<y>` ```\n<tag>\n```");
  });

  it("escapeMrkdwn escapes exactly &, < and >", () => {
    expect(escapeMrkdwn("<@U1> & >")).toBe("&lt;@U1&gt; &amp; &gt;");
  });
});

describe("toSections", () => {
  it("keeps short text in one section", () => {
    expect(toSections("hello")).toEqual([{ type: "section", text: { type: "mrkdwn", text: "hello" } }]);
  });

  it("splits long text at line breaks within the section limit", () => {
    const line = "x".repeat(100);
    const text = Array.from({ length: 80 }, () => line).join("\n");
    const blocks = toSections(text) as Array<{ text: { text: string } }>;
    expect(blocks.length).toBeGreaterThan(1);
    for (const b of blocks) expect(b.text.text.length).toBeLessThanOrEqual(SECTION_LIMIT);
    expect(blocks.map((b) => b.text.text).join("\n")).toBe(text);
  });

  it("never exceeds Slack's block limit and says the rest was cut", () => {
    const blocks = toSections("word ".repeat(SECTION_LIMIT * 60)) as Array<{ text: { text: string } }>;
    expect(blocks).toHaveLength(BLOCK_LIMIT);
    expect(blocks.at(-1)!.text.text).toContain("too long");
  });

  it("splitText breaks a single long word when there is no better place", () => {
    const parts = splitText("y".repeat(25), 10);
    expect(parts.join("")).toBe("y".repeat(25));
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(10);
  });

  it("fallbackText trims to a notification-sized string", () => {
    expect(fallbackText("z".repeat(5000)).length).toBe(3000);
    expect(fallbackText("short")).toBe("short");
  });
});
