// Pins which repositories a question is about: the ones the message names, then known projects' repositories, else the most recently active ones the token sees, capped with a note.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resolveRepos, scopeOrReply, type HandlerDeps } from "../../src/handlers/project-scope.js";
import { isIntegrationError } from "../../src/integrations/errors.js";
import { noEntities, type Entities, type Intent } from "../../src/routing/intent.js";
import { startGitHubFake, type GitHubFake } from "../fakes/github.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { integrationsAgainst } from "../support/integrations.js";

const NOW = new Date("2025-06-11T12:00:00.000Z");
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();
const entities = (e: Partial<Entities> = {}): Entities => ({ ...noEntities(), ...e });

describe("resolveRepos", () => {
  let db: TestDatabase;
  let github: GitHubFake;
  let deps: HandlerDeps;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.dispose());
  beforeEach(async () => {
    github = await startGitHubFake({ now: NOW });
    const { integrations } = await integrationsAgainst({ github });
    deps = { prisma: db.prisma, github: integrations.github };
    await db.prisma.project.deleteMany();
  });
  afterEach(async () => github.close());

  const listed = () => github.count("GET", /^\/user\/repos$/);

  it("a repository named in the message is the scope, without listing GitHub", async () => {
    expect(await resolveRepos(entities({ repos: ["acme/web"] }), deps)).toEqual({ repos: ["acme/web"], scope: "in acme/web" });
    expect(listed()).toBe(0);
  });

  it("named repositories first, then the repositories of known projects named, each once", async () => {
    await db.prisma.project.create({ data: { name: "Mobile", githubRepo: "acme/mobile" } });
    await db.prisma.project.create({ data: { name: "Web", githubRepo: "acme/web" } });
    const scope = await resolveRepos(entities({ repos: ["acme/api", "acme/web"], projects: ["Mobile", "Web"] }), deps);
    expect(scope).toEqual({ repos: ["acme/api", "acme/web", "acme/mobile"], scope: "across 3 repositories" });
    expect(listed()).toBe(0);
  });

  it("a known project without a repository says so rather than guessing", async () => {
    await db.prisma.project.create({ data: { name: "Docs site" } });
    expect(await resolveRepos(entities({ projects: ["Docs site"] }), deps)).toEqual({ repos: [], scope: "", note: "Docs site isn't linked to a GitHub repository yet." });
    const intent: Intent = { category: "STATUS", action: "project_status", confidence: 1, source: "pre", entities: entities({ projects: ["Docs site"] }) };
    expect(await scopeOrReply(intent, deps)).toEqual({ kind: "reply", text: "Docs site isn't linked to a GitHub repository yet." });
  });

  it("nothing named: every repository the token sees, most recently pushed first", async () => {
    github.repos.push({ owner: "acme", name: "infra", description: "", private: true, issues: [], commits: [{ sha: "a".repeat(40), message: "x", author: "dan", date: hoursAgo(3) }] });
    expect(await resolveRepos(entities(), deps)).toEqual({ repos: ["acme/web", "acme/infra", "acme/mobile", "acme/api"], scope: "across 4 repositories" });
  });

  it("more than the cap: the most recently active, with a note saying how many were left out", async () => {
    for (let k = 0; k < 20; k++) {
      github.repos.push({ owner: "acme", name: `svc-${k}`, description: "", private: true, issues: [], commits: [{ sha: String(k).padStart(40, "0"), message: "x", author: "dan", date: hoursAgo(100 + k) }] });
    }
    github.repos.push({ owner: "acme", name: "empty", description: "", private: true, issues: [], commits: [] });
    const scope = await resolveRepos(entities(), deps);
    expect(scope.repos).toEqual(["acme/web", "acme/mobile", "acme/api", ...Array.from({ length: 7 }, (_, k) => `acme/svc-${k}`)]);
    expect(scope.scope).toBe("across 10 repositories");
    expect(scope.note).toBe("I looked at the 10 most recently active of 24 repositories.");
    expect(await resolveRepos(entities(), deps, { max: 2 })).toMatchObject({ repos: ["acme/web", "acme/mobile"], note: "I looked at the 2 most recently active of 24 repositories." });
  });

  it("no repositories visible says so", async () => {
    github.repos.splice(0);
    expect(await resolveRepos(entities(), deps)).toEqual({ repos: [], scope: "", note: "I can't see any GitHub repositories with the token I have." });
  });

  it("a failed listing throws GitHub's error; scopeOrReply turns it into the sentence", async () => {
    github.failNext(1, 401);
    const err = await resolveRepos(entities(), deps).catch((e: unknown) => e);
    expect(isIntegrationError(err)).toBe(true);
    github.failNext(1, 401);
    const intent: Intent = { category: "STATUS", action: "project_status", confidence: 1, source: "pre", entities: entities() };
    expect(await scopeOrReply(intent, deps)).toEqual({ kind: "reply", text: "GitHub rejected my credentials — whoever runs Piper should check the token (set GITHUB_TOKEN)." });
  });
});
