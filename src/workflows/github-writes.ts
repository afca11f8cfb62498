// GitHub writes for workflow tasks that may run again: a task resumed after its owner died (attempt > 1)
// looks for what its earlier attempt did before acting, by the idempotency key the write carries.
import type { GitHubClient, Issue, NewIssue } from "../integrations/github.js";

/**
 * Creates the issue once across a task's attempts. Pass the task's `idempotencyKey` (the same on every
 * attempt) and its `attempt`; the task should be declared `sideEffects: true`, so its start is recorded
 * before this runs and a crash after the POST is seen as an attempt that started.
 *
 * On attempt 1 there is nothing to look for: it creates (createIssue itself settles a lost answer by
 * looking for the key). On a later attempt it first looks for an issue carrying the key and returns that
 * one if the earlier attempt created it; otherwise it creates it now. A failed lookup fails the attempt
 * rather than risking a second issue.
 */
export async function createIssueOnce(
  github: Pick<GitHubClient, "createIssue" | "findIssueByKey">,
  repo: string,
  issue: NewIssue & { idempotencyKey: string },
  ctx: { attempt: number },
): Promise<Issue> {
  if (ctx.attempt > 1) {
    const existing = await github.findIssueByKey(repo, issue.idempotencyKey);
    if (existing) return existing;
  }
  return github.createIssue(repo, issue);
}
