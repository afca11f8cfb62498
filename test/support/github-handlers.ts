// The shared setup of tests for answers read from GitHub (STATUS, PRIORITY, TEMPORAL, QUERY): a fixed clock, seed builders, a test database and the GitHub fake per test.
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import type { HandlerDeps } from "../../src/handlers/project-scope.js";
import { noEntities, type Category, type Entities, type Intent } from "../../src/routing/intent.js";
import type { SeedIssue } from "../fakes/github-seed.js";
import { startGitHubFake, type FakeIssue, type FakeRepo, type GitHubFake } from "../fakes/github.js";
import { createTestDatabase, type TestDatabase } from "./database.js";
import { integrationsAgainst } from "./integrations.js";

/** Wednesday noon UTC (the previous working day is Tuesday); the fake's seed is laid out in hours before it. */
export const NOW = new Date("2025-06-11T12:00:00.000Z");
export const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();

/** Intents of one category, as the pre-classifier would hand them over. */
export function intentFor(category: Category): (action: string, entities?: Partial<Entities>) => Intent {
  return (action, entities = {}) => ({ category, action, confidence: 1, source: "pre", entities: { ...noEntities(), ...entities } });
}

/** An open issue a day old, updated an hour ago, unless the fields say otherwise. */
export function seedIssue(fields: Partial<FakeIssue> & Pick<SeedIssue, "number" | "title">): FakeIssue {
  return { state: "open", isPullRequest: false, assignees: [], labels: [], author: "erin", createdAt: hoursAgo(24), updatedAt: hoursAgo(1), closedAt: null, body: "", ...fields };
}

export interface GitHubHandlerHarness {
  readonly db: TestDatabase;
  /** A fresh fake for each test, its clock at NOW. */
  readonly github: GitHubFake;
  /** Real clients against this test's fake (env tunes them, e.g. breaker thresholds). */
  depsFor(env?: Record<string, string>): Promise<HandlerDeps>;
  repo(name: string): FakeRepo;
}

/** Call inside a describe: one database for the file, a new GitHub fake for every test. */
export function githubHandlerHarness(): GitHubHandlerHarness {
  let db: TestDatabase | undefined;
  let github: GitHubFake | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.dispose());
  beforeEach(async () => {
    github = await startGitHubFake({ now: NOW });
  });
  afterEach(async () => github?.close());
  const harness: GitHubHandlerHarness = {
    get db() {
      return db!;
    },
    get github() {
      return github!;
    },
    async depsFor(env = {}) {
      const { integrations } = await integrationsAgainst({ github: harness.github }, env);
      return { prisma: harness.db.prisma, github: integrations.github };
    },
    repo: (name) => harness.github.repos.find((r) => r.name === name)! as FakeRepo,
  };
  return harness;
}
