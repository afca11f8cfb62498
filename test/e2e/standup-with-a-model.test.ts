// The standup with a model (the Anthropic fake): the model's 2–3 sentences go on top, written from the same facts the
// sections show under NO_FABRICATION_RULE; when the model fails, the standup is the same without them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_FABRICATION_RULE } from "../../src/floor/prompts.js";
import { SUMMARY_TOOL_NAME } from "../../src/workflows/standup/summary.js";
import { startAnthropicFake, type AnthropicFake } from "../fakes/anthropic.js";
import { startGitHubFake, type GitHubFake } from "../fakes/github.js";
import { askInThread, startTestPiper, type TestPiper } from "../support/piper.js";

const MONDAY = new Date("2026-03-16T09:00:00Z");
const SUMMARY = "Bob merged the pagination cursor for /projects and Alice closed the 2.4 release checklist. Carol's Safari cookie fix is waiting on review and failing checks.";

describe("the standup with a model", () => {
  let github: GitHubFake;
  let anthropic: AnthropicFake;
  let piper: TestPiper;
  let summaryFails = false;
  beforeAll(async () => {
    github = await startGitHubFake({ now: MONDAY });
    anthropic = await startAnthropicFake();
    anthropic.respondWith((request) => {
      const tool = (request.tools as Array<{ name: string }> | undefined)?.[0]?.name;
      if (tool === "classify_intent") return [{ type: "tool_use", name: "classify_intent", input: { category: "STATUS", action: "standup", confidence: 0.93, compound: false } }];
      if (tool === SUMMARY_TOOL_NAME) return summaryFails ? [{ type: "text", text: "I'd rather not." }] : [{ type: "tool_use", name: SUMMARY_TOOL_NAME, input: { summary: SUMMARY } }];
      return [{ type: "text", text: "ok" }];
    });
    piper = await startTestPiper({ now: () => MONDAY }, { GITHUB_TOKEN: github.token, GITHUB_API_URL: github.url, ANTHROPIC_API_KEY: anthropic.apiKey, ANTHROPIC_BASE_URL: anthropic.url, PIPER_TIME_ZONE: "Europe/London" });
  });
  afterAll(async () => {
    await piper?.close();
    await anthropic?.close();
    await github?.close();
  });

  const summaryCalls = () => anthropic.requests.filter((r) => JSON.stringify((r.body as { tools?: unknown }).tools ?? []).includes(SUMMARY_TOOL_NAME));

  it("puts the model's summary on top, from the facts only, in one call", async () => {
    const { reply, intent } = await askInThread(piper, piper.slackLocal.channels.general, "what did we do yesterday?");
    expect(intent).toMatchObject({ category: "STATUS", action: "standup", source: "llm" });
    const blocks = reply.blocks as Array<{ type: string; text?: { text: string } }>;
    expect(blocks[0]!.type).toBe("header");
    expect(blocks[1]!.text!.text).toContain(SUMMARY);
    expect(blocks[1]!.text!.text).toContain("Summary written by the model from the facts below.");
    expect(blocks.some((b) => b.text?.text.startsWith("*Alice Example (alice on GitHub)*"))).toBe(true);

    expect(summaryCalls()).toHaveLength(1);
    const sent = summaryCalls()[0]!.body as { system: string; messages: Array<{ content: string }> };
    expect(sent.system).toContain(NO_FABRICATION_RULE);
    expect(sent.messages[0]!.content).toContain('merged acme/api#2 "Pagination cursor for /projects"');
    expect(sent.messages[0]!.content).toContain("Period: 2026-03-13, 2026-03-14, 2026-03-15");
  });

  it("leaves the summary out when the model doesn't give one, and still answers in full", async () => {
    summaryFails = true;
    const { reply } = await askInThread(piper, piper.slackLocal.channels.general, "standup");
    const text = JSON.stringify(reply.blocks);
    expect(text).not.toContain("Summary written by the model");
    expect(text).toContain("acme/api#2 Pagination cursor for /projects");
    expect(summaryCalls()).toHaveLength(2);
  });
});
