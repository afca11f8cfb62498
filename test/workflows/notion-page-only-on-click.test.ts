// "Save to Notion": nothing is written until the person it was offered to clicks Create; two clicks make one
// page; a crash after Notion created the page is recovered without a second one; the link lands in the thread.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Integrations } from "../../src/integrations/index.js";
import { PageDraftStore } from "../../src/workflows/notion-page/page-drafts.js";
import { NotionPageOffers, notionBlocks, parseNotionParent, PAGE_CREATE_ACTION_ID, PAGE_WORKFLOW, sectionsFromSlack } from "../../src/workflows/notion-page/page-offers.js";
import { startNotionFake, type NotionFake } from "../fakes/notion.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { integrationsAgainst } from "../support/integrations.js";
import { posterAgainstEmulator, type PosterHarness } from "../slack/support/poster.js";
import { engineOn, silent } from "./helpers.js";

describe("Notion pages only on a click", () => {
  let db: TestDatabase;
  let notion: NotionFake;
  let integrations: Integrations;
  let slack: PosterHarness;
  beforeAll(async () => {
    db = await createTestDatabase();
    notion = await startNotionFake();
    ({ integrations } = await integrationsAgainst({ notion }));
    slack = await posterAgainstEmulator();
  });
  afterAll(async () => {
    await slack?.close();
    await integrations?.close();
    await notion?.close();
    await db?.dispose();
  });

  const alice = "U0ALICE001";
  const bob = "U0BOB00001";
  let n = 0;
  async function offered(offers: NotionPageOffers, title: string) {
    const channel = slack.slack.channels.general;
    const { ts: threadTs } = await slack.slack.postUserMessage({ channel, text: "standup please" });
    const blocks = await offers.offer({
      requestId: `Ev${++n}`, teamId: "T0LOCAL001", channelId: channel, threadTs, requestedBy: alice, parent: { kind: "page", id: notion.ids.notes }, title,
      blocks: notionBlocks([{ heading: "Yesterday", lines: ["alice merged #12"] }]),
    });
    const posted = await slack.poster.postMessage(channel, threadTs, { text: "Standup", blocks: [{ type: "section", text: { type: "mrkdwn", text: "Standup" } }, ...blocks] });
    const draftId = (blocks[1] as { elements: Array<{ action_id: string; value: string }> }).elements.find((e) => e.action_id === PAGE_CREATE_ACTION_ID)!.value;
    const message = slack.slack.replies(channel, threadTs).find((m) => m.ts === posted.ts)!;
    return { channel, threadTs, draftId, click: (user: string) => ({ draftId, user, channel, messageTs: posted.ts, message: { text: message.text, blocks: message.blocks ?? [] } }) };
  }
  const pagesTitled = (title: string) => [...notion.pages.values()].filter((p) => p.title === title);
  const offersWith = (engine = engineOn(db)) => new NotionPageOffers({ engine, notion: integrations.notion, drafts: new PageDraftStore(db.prisma), poster: slack.poster, ttlMs: 60_000, logger: silent });

  it("writes nothing on an offer or someone else's click, one page for two clicks, and links it in the thread", async () => {
    const offers = offersWith();
    const title = "Standup — acme/web — 2026-11-30";
    const o = await offered(offers, title);
    expect(pagesTitled(title)).toHaveLength(0);

    await offers.create(o.click(bob));
    expect(pagesTitled(title)).toHaveLength(0);
    expect(slack.slack.messages(o.channel).concat(slack.slack.replies(o.channel, o.threadTs)).some((m) => m.ephemeral && m.for_user === bob && m.text.startsWith(`Only <@${alice}>`))).toBe(true);

    await Promise.all([offers.create(o.click(alice)), offers.create(o.click(alice))]);
    expect(pagesTitled(title)).toHaveLength(1);
    const [page] = pagesTitled(title);
    expect(JSON.stringify(page!.children)).toContain("alice merged #12");
    const link = slack.slack.replies(o.channel, o.threadTs).filter((m) => m.text.startsWith("Saved to Notion: <"));
    expect(link).toHaveLength(1);
    // The answer stays; its buttons became a line saying where it went.
    const answer = slack.slack.replies(o.channel, o.threadTs).find((m) => m.text === "Standup")!;
    expect(JSON.stringify(answer.blocks)).not.toContain(PAGE_CREATE_ACTION_ID);
    expect(JSON.stringify(answer.blocks)).toContain("Saved to Notion");
  });

  it("a run that died after Notion created the page finds it on resume instead of creating another", async () => {
    const title = "Standup — acme/web — 2026-12-01";
    // The first engine's run is left as a crash leaves it: started, lease held, never finished.
    let now = Date.parse("2026-12-01T09:00:00Z");
    const first = engineOn(db, { instanceId: "dead", leaseMs: 1_000, now: () => now });
    const offers = offersWith(first);
    const o = await offered(offers, title);
    const held = notion.holdAnswerNext("POST", /^\/v1\/pages$/);
    const dying = offers.create(o.click(alice)).catch(() => undefined);
    await held.handled;
    expect(pagesTitled(title)).toHaveLength(1);
    first.close();

    now += 60_000;
    const second = engineOn(db, { instanceId: "alive", leaseMs: 1_000, now: () => now });
    offersWith(second);
    expect(await second.recoverExpired()).toBe(1);
    const run = await db.prisma.workflowRun.findFirstOrThrow({ where: { type: PAGE_WORKFLOW, status: { not: "running" } }, orderBy: { createdAt: "desc" }, include: { tasks: true } });
    expect(run.status).toBe("succeeded");
    expect(run.tasks.find((t) => t.name === "create")?.attempt).toBe(2);
    expect(pagesTitled(title)).toHaveLength(1);
    expect((await db.prisma.pageDraft.findUniqueOrThrow({ where: { id: o.draftId } })).status).toBe("created");
    second.close();
    // The "dead" attempt hears its answer at last: it has lost the run, writes nothing, and is done before the database goes.
    held.release();
    await dying;
    expect(pagesTitled(title)).toHaveLength(1);
  });

  it("turns a Slack answer's sections into Notion sections: links readable, marks dropped, headers and context left out", () => {
    const sections = sectionsFromSlack([
      { type: "header", text: { type: "plain_text", text: "Standup · Mon 30 Nov" } },
      { type: "section", text: { type: "mrkdwn", text: "*alice*\n• Merged <https://github.com/acme/web/pull/3|acme/web#3 Fix login> &amp; more\n• _today_: review" } },
      { type: "context", elements: [{ type: "mrkdwn", text: "Read 3 repositories" }] },
    ]);
    expect(sections).toEqual([{ heading: "alice", lines: ["Merged acme/web#3 Fix login (https://github.com/acme/web/pull/3) & more", "today: review"] }]);
  });

  it("reads PIPER_NOTION_PARENT's forms", () => {
    expect(parseNotionParent("database:abc-1")).toEqual({ kind: "database", id: "abc-1" });
    expect(parseNotionParent("page:xyz")).toEqual({ kind: "page", id: "xyz" });
    expect(parseNotionParent("xyz")).toEqual({ kind: "page", id: "xyz" });
    expect(parseNotionParent("  ")).toBeUndefined();
  });
});
