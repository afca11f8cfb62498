// Pins NotionClient.search against the Notion fake: databases and pages by object type, titled, with rows told apart by parent.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Integrations } from "../../src/integrations/index.js";
import { startNotionFake, type NotionFake } from "../fakes/notion.js";
import { integrationsAgainst } from "../support/integrations.js";

describe("Notion search", () => {
  let notion: NotionFake;
  let integrations: Integrations;
  beforeAll(async () => {
    notion = await startNotionFake();
    ({ integrations } = await integrationsAgainst({ notion }));
  });
  afterAll(async () => notion?.close());

  it("finds the databases (data sources) shared with Piper, with their titles and links", async () => {
    const found = await integrations.notion.search({ filter: { property: "object", value: "data_source" } });
    expect(found.stale).toBe(false);
    expect(found.value).toEqual([{ id: notion.ids.roadmap, object: "data_source", title: "Product roadmap", url: expect.stringMatching(/^https:\/\/www\.notion\.so\//), parentType: "database_id" }]);
    expect(notion.calls.at(-1)?.body).toMatchObject({ filter: { property: "object", value: "data_source" } });
  });

  it("finds pages, and a database row says so through its parent", async () => {
    await integrations.notion.createPage({ parent: { kind: "database", id: notion.ids.roadmap }, title: "Ship v2" });
    const found = await integrations.notion.search({ filter: { property: "object", value: "page" } });
    expect(found.value.map((p) => [p.title, p.parentType])).toEqual([
      ["Team notes", "workspace"],
      ["Ship v2", "data_source_id"],
    ]);
  });

  it("narrows by title when given a query", async () => {
    const found = await integrations.notion.search({ query: "notes", filter: { property: "object", value: "page" } });
    expect(found.value.map((p) => p.title)).toEqual(["Team notes"]);
  });
});
