// A Notion write Piper stopped waiting for is aborted, not left to land later; a write whose answer was lost is looked for, never sent twice.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Integrations } from "../../src/integrations/index.js";
import type { NotionPage } from "../../src/integrations/notion.js";
import { startNotionFake, type NotionFake } from "../fakes/notion.js";
import { integrationsAgainst, sleep, type CapturedLog } from "../support/integrations.js";

const PAGES = /^\/v1\/pages$/;

describe("Notion writes", () => {
  let notion: NotionFake;
  let integrations: Integrations;
  let log: CapturedLog;
  beforeEach(async () => {
    notion = await startNotionFake();
    ({ integrations, log } = await integrationsAgainst({ notion }));
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await notion.close();
  });

  const pagesTitled = (title: string) => [...notion.pages.values()].filter((p) => p.title === title);
  /** Notion acts on the create, then the answer is lost behind a gateway error page. */
  const badGatewayAfterCreating = () =>
    notion.afterHandling((req, handled) => (req.method === "POST" && PAGES.test(req.path) && handled.status === 200 ? { status: 502, body: "Bad Gateway", headers: { "content-type": "text/html" } } : undefined));

  it("a create slower than the timeout is aborted, so Notion never finishes it after Piper said it timed out", async () => {
    ({ integrations } = await integrationsAgainst({ notion }, { PIPER_NOTION_TIMEOUT_MS: "1000" }));
    const hold = notion.holdNext("POST", PAGES);
    const err = await integrations.notion.createPage({ parent: { kind: "page", id: notion.ids.notes }, title: "Standup notes, 12 May" }).catch((e: unknown) => e);
    // Generous: an aborted request is noticed in milliseconds; one that is never aborted would wait forever.
    const aborted = await Promise.race([hold.abandoned.then(() => true), sleep(5_000).then(() => false)]);
    hold.release();
    expect(aborted).toBe(true);
    expect(await hold.outcome).toBe("dropped");
    expect(pagesTitled("Standup notes, 12 May")).toHaveLength(0);
    expect(notion.count("POST", PAGES)).toBe(1);
    expect(err).toMatchObject({ code: "OUTCOME_UNKNOWN" });
  });

  it("a 502 after Notion created a child page returns that page, and creates no duplicate", async () => {
    badGatewayAfterCreating();
    const page: NotionPage = await integrations.notion.createPage({ parent: { kind: "page", id: notion.ids.notes }, title: "Retro, sprint 14" });
    expect(notion.count("POST", PAGES)).toBe(1);
    expect(pagesTitled("Retro, sprint 14")).toHaveLength(1);
    expect(page).toMatchObject({ id: pagesTitled("Retro, sprint 14")[0]!.id, title: "Retro, sprint 14" });
  });

  it("a 502 after Notion added a database row returns that row, and adds no duplicate", async () => {
    badGatewayAfterCreating();
    const page = await integrations.notion.createPage({ parent: { kind: "database", id: notion.ids.roadmap }, title: "Offline mode" });
    expect(notion.count("POST", PAGES)).toBe(1);
    expect(pagesTitled("Offline mode")).toHaveLength(1);
    expect(page).toMatchObject({ id: pagesTitled("Offline mode")[0]!.id, title: "Offline mode" });
    expect(page.url).toContain(page.id.replaceAll("-", ""));
  });

  it("a 502 when nothing was created is reported as unconfirmed, and the write is not sent again", async () => {
    notion.failNext(1, 502, "internal_server_error");
    const err = await integrations.notion.createPage({ parent: { kind: "page", id: notion.ids.notes }, title: "Planning" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "OUTCOME_UNKNOWN", looked: true });
    expect(notion.count("POST", PAGES)).toBe(1);
    expect(pagesTitled("Planning")).toHaveLength(0);
  });

  it("the SDK's warnings go to Piper's log, not the console", async () => {
    const consoleWarn = vi.spyOn(console, "warn");
    await expect(integrations.notion.createPage({ parent: { kind: "page", id: "00000000-0000-4000-8000-000000000000" }, title: "Nowhere" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(consoleWarn).not.toHaveBeenCalled();
    expect(log.lines.find((l) => l.service === "notion" && l.msg === "request fail")).toMatchObject({ level: 40, code: "object_not_found" });
  });
});
