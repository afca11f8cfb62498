// Waiting for a turn in the GitHub client's own write limiter is not GitHub being slow: it never times out a call or counts toward the breaker.
import { describe, expect, it } from "vitest";
import { withGitHubFake } from "../support/integrations.js";

const CREATE = /^\/repos\/acme\/web\/issues$/;

describe("GitHub's write spacing", () => {
  const gh = withGitHubFake();

  // Octokit spaces issue creation ~3 s apart, as GitHub asks, so the fifth waits longer than the 10 s timeout.
  it("five concurrent creates on a healthy GitHub all succeed, each created once, with no failure counted", { timeout: 120_000 }, async () => {
    const titles = ["First", "Second", "Third", "Fourth", "Fifth"].map((t) => `${t} spaced write`);
    const created = await Promise.all(titles.map((title) => gh.integrations.github.createIssue("acme/web", { title })));
    expect(created.map((i) => i.title)).toEqual(titles);
    expect(gh.fake.count("POST", CREATE)).toBe(5);
    for (const title of titles) expect(gh.fake.repos[0]!.issues.filter((i) => i.title === title)).toHaveLength(1);
    expect(gh.integrations.policies.github.snapshot()).toMatchObject({ state: "closed", consecutiveFailures: 0, totalFailures: 0 });
  });
});
