// A GitHub write whose outcome is unknown (5xx, timeout) is never sent again: Piper looks for what it may have created, and says so when it can't tell.
import { describe, expect, it } from "vitest";
import { integrationsAgainst, withGitHubFake } from "../support/integrations.js";

const CREATE = /^\/repos\/acme\/web\/issues$/;

describe("creating a GitHub issue when the answer is lost", () => {
  const gh = withGitHubFake();

  const issuesTitled = (title: string) => gh.fake.repos[0]!.issues.filter((i) => i.title === title);
  const badGatewayAfterCreating = () => gh.fake.afterHandling((req, handled) => (req.method === "POST" && handled.status === 201 ? { status: 502, body: { message: "Server Error" } } : undefined));

  it("a 502 after GitHub created the issue returns that issue, and creates no second one", async () => {
    badGatewayAfterCreating();
    const issue = await gh.integrations.github.createIssue("acme/web", { title: "Checkout button overlaps footer" });
    expect(gh.fake.count("POST", CREATE)).toBe(1);
    expect(issuesTitled("Checkout button overlaps footer")).toHaveLength(1);
    expect(issue).toMatchObject({ number: issuesTitled("Checkout button overlaps footer")[0]!.number, title: "Checkout button overlaps footer", state: "open" });
  });

  it("a 502 when nothing was created is reported as unconfirmed, and the write is not sent again", async () => {
    gh.fake.failNext(1, 502);
    const err = await gh.integrations.github.createIssue("acme/web", { title: "Search ignores accents" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "OUTCOME_UNKNOWN" });
    expect((err as { userMessage: string }).userMessage).toBe(
      "GitHub didn't confirm creating the issue “Search ignores accents” in acme/web, and I can't find it there. Please check GitHub before asking again, so it doesn't happen twice.",
    );
    expect(gh.fake.count("POST", CREATE)).toBe(1);
    expect(issuesTitled("Search ignores accents")).toHaveLength(0);
  });

  it("a create that times out is looked for, not sent again; the write GitHub never finished changes nothing", async () => {
    ({ integrations: gh.integrations } = await integrationsAgainst({ github: gh.fake }, { PIPER_GITHUB_TIMEOUT_MS: "1000" }));
    const hold = gh.fake.holdNext("POST", CREATE);
    const err = await gh.integrations.github.createIssue("acme/web", { title: "Slow create" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "OUTCOME_UNKNOWN" });
    await hold.abandoned; // Piper gave up on the request rather than leaving it to finish behind its back
    hold.release();
    expect(await hold.outcome).toBe("dropped");
    expect(gh.fake.count("POST", CREATE)).toBe(1);
    expect(issuesTitled("Slow create")).toHaveLength(0);
  });

  it("the caller's idempotency key is carried in the body, and the lookup matches it rather than a look-alike title", async () => {
    const now = new Date().toISOString();
    // Someone else filed an issue with the same title a moment ago.
    gh.fake.repos[0]!.issues.push({
      number: 900, title: "Nightly build failed", state: "open", isPullRequest: false, assignees: [], labels: [], author: "carol",
      createdAt: now, updatedAt: now, closedAt: null, body: "Seen on the 2am run.",
    });
    badGatewayAfterCreating();
    const issue = await gh.integrations.github.createIssue("acme/web", { title: "Nightly build failed", body: "From #builds.", idempotencyKey: "slack:Ev0123" });
    const created = issuesTitled("Nightly build failed").filter((i) => i.author === "piper-bot");
    expect(created).toHaveLength(1);
    expect(created[0]!.body).toContain("From #builds.");
    expect(created[0]!.body).toContain("<!-- piper:key=slack%3AEv0123 -->");
    expect(issue.number).toBe(created[0]!.number);
    expect(issue.number).not.toBe(900);
  });
});
