// Pins /piper projects: GitHub repositories and Notion databases and pages side by side; a service that can't answer says one sentence and the other still lists.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { listProjects } from "../../src/handlers/projects.js";
import type { Integrations } from "../../src/integrations/index.js";
import { startGitHubFake, type GitHubFake } from "../fakes/github.js";
import { startNotionFake, type NotionFake } from "../fakes/notion.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { integrationsAgainst } from "../support/integrations.js";

describe("/piper projects", () => {
  let db: TestDatabase;
  let github: GitHubFake;
  let notion: NotionFake;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.dispose());
  beforeEach(async () => {
    [github, notion] = await Promise.all([startGitHubFake(), startNotionFake()]);
  });
  afterEach(async () => Promise.all([github.close(), notion.close()]));

  const projects = (integrations: Integrations) => listProjects({ prisma: db.prisma, github: integrations.github, notion: integrations.notion });

  it("lists GitHub repositories and the Notion databases and pages Piper can see, without database rows", async () => {
    const { integrations } = await integrationsAgainst({ github, notion });
    await integrations.notion.createPage({ parent: { kind: "database", id: notion.ids.roadmap }, title: "Ship v2" });
    const text = await projects(integrations);
    expect(text).toContain("*GitHub repositories* (3)");
    expect(text).toContain("acme/mobile");
    expect(text).toContain("*Notion databases and pages* (2)");
    expect(text).toMatch(/• <https:\/\/www\.notion\.so\/[^|]+\|Product roadmap> — database/);
    expect(text).toMatch(/• <https:\/\/www\.notion\.so\/[^|]+\|Team notes> — page/);
    expect(text).not.toContain("Ship v2");
  });

  it("without Notion connected, GitHub still answers and Notion says so in one sentence", async () => {
    const { integrations } = await integrationsAgainst({ github });
    const text = await projects(integrations);
    expect(text).toContain("acme/web");
    expect(text).toContain("_Notion isn't connected, so I can't list its databases and pages — whoever runs Piper can set NOTION_TOKEN._");
  });

  it("with Notion down and nothing remembered, GitHub still answers and Notion says it is unavailable", async () => {
    const { integrations } = await integrationsAgainst({ github, notion });
    notion.failNext(20, 503, "service_unavailable", "Notion is unavailable.");
    const text = await projects(integrations);
    expect(text).toContain("acme/api");
    expect(text).toContain("_Notion is unavailable right now");
    expect(text).not.toContain("Product roadmap");
  });

  it("with Notion down after a good answer, shows what it saw, marked stale", async () => {
    const { integrations } = await integrationsAgainst({ github, notion });
    await projects(integrations);
    notion.failNext(20, 503, "service_unavailable", "Notion is unavailable.");
    const text = await projects(integrations);
    expect(text).toContain("Product roadmap");
    expect(text).toMatch(/_Notion isn't answering right now; this is what I saw at \d\d:\d\d UTC\._/);
  });

  it("with GitHub down and nothing remembered, Notion still lists and GitHub says it is unavailable", async () => {
    const { integrations } = await integrationsAgainst({ github, notion });
    github.failNext(20, 503);
    const text = await projects(integrations);
    expect(text).toContain("_GitHub is unavailable right now");
    expect(text).toContain("Product roadmap");
  });
});
