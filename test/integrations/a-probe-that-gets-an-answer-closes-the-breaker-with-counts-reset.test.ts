// A half-open probe that gets any answer (even a 404) proves GitHub is up: the breaker closes from zero, and only a full threshold of 5xx opens it again.
import { describe, expect, it } from "vitest";
import { ServiceUnavailable } from "../../src/integrations/errors.js";
import type { ServicePolicy } from "../../src/integrations/policy.js";
import { sleep, withGitHubFake } from "../support/integrations.js";

const HALF_OPEN_MS = 300; // PIPER_BREAKER_HALF_OPEN_MS in these tests; the threshold is 3

/** Waits until the breaker will let a probe through: at least the half-open delay since it opened. */
async function pastHalfOpen(policy: ServicePolicy): Promise<void> {
  await sleep(Math.max(0, policy.snapshot().since.getTime() + HALF_OPEN_MS + 20 - Date.now()));
}

describe("a probe answered with a refusal", () => {
  const gh = withGitHubFake();

  // Octokit's retry plugin retries a read's 5xx once, so each failing call costs two 502s.
  const failingRead = async () => {
    gh.fake.failNext(2, 502);
    await expect(gh.integrations.github.listIssues("acme/api")).rejects.toBeInstanceOf(ServiceUnavailable);
  };

  it("closes the breaker with no failures counted, and it takes a full threshold of 5xx to open it again", async () => {
    const policy = gh.integrations.policies.github;
    for (let i = 0; i < 3; i++) await failingRead();
    expect(policy.state).toBe("open");

    await pastHalfOpen(policy);
    await expect(gh.integrations.github.getIssue("acme/web", 999)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(policy.state).toBe("closed");
    expect(policy.snapshot().consecutiveFailures).toBe(0);

    await failingRead();
    await failingRead();
    expect(policy.state).toBe("closed");
    expect(policy.snapshot().consecutiveFailures).toBe(2);
    await failingRead();
    expect(policy.state).toBe("open");
    expect(policy.snapshot().consecutiveFailures).toBe(3);
  });
});
