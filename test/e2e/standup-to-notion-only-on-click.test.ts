// "standup to notion": the standup is answered as usual, with an offer to save it as a Notion page that is created
// only when the person who asked clicks, once however often they click, and linked in the thread.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PAGE_CREATE_ACTION_ID } from "../../src/workflows/notion-page/page-offers.js";
import { startNotionFake, type NotionFake } from "../fakes/notion.js";
import { botAnswers, startTestPiper, type TestPiper } from "../support/piper.js";

describe("standup to Notion", () => {
  let notion: NotionFake;
  let piper: TestPiper;
  beforeAll(async () => {
    notion = await startNotionFake();
    piper = await startTestPiper({}, { NOTION_TOKEN: notion.token, NOTION_API_URL: notion.url, PIPER_NOTION_PARENT: `page:${notion.ids.notes}` });
  });
  afterAll(async () => {
    await piper?.close();
    await notion?.close();
  });

  it("offers the page under the standup and creates it once, on the asker's click only", async () => {
    const slack = piper.slackLocal;
    const channel = slack.channels.general;
    const pagesBefore = notion.pages.size;
    const { ts } = await slack.postUserMessage({ channel, text: `<@${piper.botUserId}> standup for acme/web to notion` });
    const answer = await slack.waitFor(() => botAnswers(slack, channel, ts).find((m) => JSON.stringify(m.blocks ?? []).includes(PAGE_CREATE_ACTION_ID)));
    await slack.waitFor(() => piper.slack.queue.pending === 0);
    expect(JSON.stringify(answer.blocks)).toContain("Standup · ");
    expect(notion.pages.size).toBe(pagesBefore);

    await slack.click({ channel, ts: answer.ts, actionId: PAGE_CREATE_ACTION_ID, user: slack.users.bob });
    await slack.waitFor(() => slack.replies(channel, ts).concat(slack.messages(channel)).some((m) => m.ephemeral && m.for_user === slack.users.bob && m.text.includes("can confirm this")));
    expect(notion.pages.size).toBe(pagesBefore);

    await Promise.all([slack.click({ channel, ts: answer.ts, actionId: PAGE_CREATE_ACTION_ID }), slack.click({ channel, ts: answer.ts, actionId: PAGE_CREATE_ACTION_ID })]);
    const link = await slack.waitFor(() => botAnswers(slack, channel, ts).find((m) => m.text.startsWith("Saved to Notion: <")));
    expect(notion.pages.size).toBe(pagesBefore + 1);
    const page = [...notion.pages.values()].at(-1)!;
    expect(page.title).toMatch(/^Standup · /);
    expect(page.parent).toMatchObject({ page_id: notion.ids.notes });
    expect(JSON.stringify(page.children)).toContain("heading_2");
    expect(link.text).toContain(page.title);
    // The standup stays; the offer became a line saying where it went.
    await slack.waitFor(() => JSON.stringify(slack.replies(channel, ts).find((m) => m.ts === answer.ts)?.blocks ?? []).includes("Saved to Notion"));
    expect(JSON.stringify(slack.replies(channel, ts).find((m) => m.ts === answer.ts)?.blocks)).not.toContain(PAGE_CREATE_ACTION_ID);
  });
});
