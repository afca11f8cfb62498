// normalizeSlackText reads Slack's markup once into plain words plus what it named; defuseMentions keeps Piper's replies from pinging anyone.
import { describe, expect, it } from "vitest";
import { defuseMentions, normalizeSlackText } from "../../src/slack/message-text.js";

describe("normalizeSlackText", () => {
  it("turns user mentions into @label or @id and lists the ids once, in order", () => {
    const n = normalizeSlackText("ask <@U1|bob> and <@W2>, then <@U1> again");
    expect(n.text).toBe("ask @bob and @W2, then @U1 again");
    expect(n.people).toEqual(["U1", "W2"]);
  });

  it("turns channel links into #name or #id and lists the rooms", () => {
    const n = normalizeSlackText("see <#C1|mobile> and <#C2> and <#C3|>");
    expect(n.text).toBe("see #mobile and #C2 and #C3");
    expect(n.rooms).toEqual([{ id: "C1", name: "mobile" }, { id: "C2" }, { id: "C3" }]);
  });

  it("turns links into their label or URL, mailto into the address, and lists them with entities decoded", () => {
    const n = normalizeSlackText("<https://x.test/a?b=1&amp;c=2|the doc> <http://y.test> <mailto:a@b.test|a@b.test> <mailto:c@d.test>");
    expect(n.text).toBe("the doc http://y.test a@b.test c@d.test");
    expect(n.links).toEqual([
      { url: "https://x.test/a?b=1&c=2", label: "the doc" },
      { url: "http://y.test" },
      { url: "mailto:a@b.test", label: "a@b.test" },
      { url: "mailto:c@d.test" },
    ]);
  });

  it("turns broadcasts and user groups into @words and lists them", () => {
    const n = normalizeSlackText("<!here> <!channel> <!everyone|everyone> <!subteam^S1|@eng> <!subteam^S2>");
    expect(n.text).toBe("@here @channel @everyone @eng @S2");
    expect(n.broadcasts).toEqual(["here", "channel", "everyone", "subteam:S1", "subteam:S2"]);
  });

  it("shows a date as its fallback text and does not count it as a broadcast", () => {
    const n = normalizeSlackText("due <!date^1700000000^{date_short}|Nov 14, 2023>");
    expect(n.text).toBe("due Nov 14, 2023");
    expect(n.broadcasts).toEqual([]);
  });

  it("decodes &amp; &lt; &gt; after parsing, so markup typed literally stays text", () => {
    const n = normalizeSlackText("a &amp; b &lt;@U1&gt; &amp;lt; &lt;!here&gt;");
    expect(n.text).toBe("a & b <@U1> &lt; <!here>");
    expect(n.people).toEqual([]);
    expect(n.broadcasts).toEqual([]);
  });

  it("collapses whitespace, including newlines, and trims", () => {
    expect(normalizeSlackText("  one\n\n two\t three  ").text).toBe("one two three");
  });

  it("never throws on malformed markup: unclosed or unknown brackets stay text", () => {
    for (const raw of ["<", ">", "<@U1", "a < b <@U1>", "<>", "<@>", "<#>", "<!>", "<not markup>", "<|x>", "&amp", "<<@U1>>", "<https://x|"]) {
      expect(() => normalizeSlackText(raw)).not.toThrow();
    }
    expect(normalizeSlackText("<@U1 hi").text).toBe("<@U1 hi");
    expect(normalizeSlackText("a < b <@U1>").text).toBe("a < b @U1");
    expect(normalizeSlackText("a < b <@U1>").people).toEqual(["U1"]);
    expect(normalizeSlackText("<not markup>").text).toBe("<not markup>");
    expect(normalizeSlackText("<<@U1>>").text).toBe("<@U1>");
    expect(normalizeSlackText("").text).toBe("");
  });

  it("reads a long message with every kind of markup", () => {
    const raw =
      "<@UBOT|piper> hey <!here>, <@U0ALICE|alice> &amp; <@U0BOB> — the deploy in <#C0MOBILE|mobile>\n" +
      "broke <https://github.com/acme/web/issues/12|acme/web#12> again (see <https://status.test/x?a=1&amp;b=2>). " +
      "Tell <!subteam^S0ENG|@eng>, mail <mailto:ops@acme.test|ops@acme.test> by <!date^1772000000^{date}|Feb 25>; " +
      "x &lt; y &gt; z ".repeat(20);
    const n = normalizeSlackText(raw);
    expect(n.text.startsWith("@piper hey @here, @alice & @U0BOB — the deploy in #mobile broke acme/web#12 again (see https://status.test/x?a=1&b=2). Tell @eng, mail ops@acme.test by Feb 25; x < y > z")).toBe(true);
    expect(n.text).not.toMatch(/\s\s|\n/);
    expect(n.people).toEqual(["UBOT", "U0ALICE", "U0BOB"]);
    expect(n.rooms).toEqual([{ id: "C0MOBILE", name: "mobile" }]);
    expect(n.links).toEqual([
      { url: "https://github.com/acme/web/issues/12", label: "acme/web#12" },
      { url: "https://status.test/x?a=1&b=2" },
      { url: "mailto:ops@acme.test", label: "ops@acme.test" },
    ]);
    expect(n.broadcasts).toEqual(["here", "subteam:S0ENG"]);
    expect(n.raw).toBe(raw);
  });
});

describe("defuseMentions", () => {
  it("turns @here, @channel and @everyone into plain words", () => {
    expect(defuseMentions("<!here> <!channel|channel> <!everyone>")).toBe("@here @channel @everyone");
  });

  it("turns user groups into their handle, or @group without one", () => {
    expect(defuseMentions("<!subteam^S1|@eng> <!subteam^S2|mobile> <!subteam^S3>")).toBe("@eng @mobile @group");
  });

  it("turns users into @name from the lookup, else the label, else @someone", () => {
    const names = (id: string) => (id === "U1" ? "alice" : undefined);
    expect(defuseMentions("<@U1> <@U2|bob> <@U3>", names)).toBe("@alice @bob @someone");
    expect(defuseMentions("<@U1|bob>")).toBe("@bob");
  });

  it("escapes a looked-up name, so a name can't smuggle markup in", () => {
    expect(defuseMentions("<@U1>", () => "<!here> & co")).toBe("@&lt;!here&gt; &amp; co");
  });

  it("leaves channel links, URLs, dates and already-escaped text untouched", () => {
    const text = "in <#C1|mobile> see <https://x.test|doc> on <!date^1700000000^{date}|Nov 14> &lt;@U1&gt; `<@U9>`";
    expect(defuseMentions(text)).toBe("in <#C1|mobile> see <https://x.test|doc> on <!date^1700000000^{date}|Nov 14> &lt;@U1&gt; `@someone`");
  });

  it("leaves nothing that pings and is idempotent", () => {
    const names = (id: string) => (id === "U1" ? "a<b" : undefined);
    const text = "<!here> <@U1> <@U2|x> <!subteam^S1> <!channel> <!everyone> <#C1> <https://x.test|y> <!date^1^{date}|d> <!unknown>";
    const once = defuseMentions(text, names);
    expect(once).not.toMatch(/<[@]|<!(?!date\^)/);
    expect(defuseMentions(once, names)).toBe(once);
    expect(defuseMentions(defuseMentions("plain text, no markup"))).toBe("plain text, no markup");
  });
});
