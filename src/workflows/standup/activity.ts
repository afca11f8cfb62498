// One repository's standup facts, read from GitHub: what happened in the window (merged PRs, closed issues, commits on the
// default branch, reviews) and what is open now (PRs and issues, review requests, the head commits' checks). JSON-shaped:
// it is a workflow task's output, stored with the run.
import { isIntegrationError } from "../../integrations/errors.js";
import type { CheckSummary, GitHubClient, Issue, PullRequest } from "../../integrations/github.js";
import type { Read } from "../../integrations/stale-cache.js";
import { inWindow } from "./window.js";

export interface StandupItem {
  repo: string;
  kind: "pr" | "issue";
  number: number;
  title: string;
  url: string;
  labels: string[];
  createdAt: string;
}

export interface RepoActivity {
  repo: string;
  /** Pull requests merged in the window, credited to their authors. */
  merged: Array<StandupItem & { author: string | null; at: string }>;
  /** Issues closed in the window, credited to their assignees (the author when nobody was assigned): GitHub's list doesn't say who closed them. */
  closed: Array<StandupItem & { people: string[]; at: string }>;
  /** Commits on the default branch in the window. */
  commits: Array<{ sha: string; message: string; author: string | null; url: string; at: string }>;
  /** Reviews submitted in the window, on pull requests updated since it began. */
  reviews: Array<{ reviewer: string; state: string; at: string; url: string; pr: StandupItem; prAuthor: string | null }>;
  openPrs: Array<StandupItem & { author: string | null; assignees: string[]; draft: boolean; checks?: CheckSummary; waiting: Array<{ reviewer: string; since: string }> }>;
  openIssues: Array<StandupItem & { assignees: string[] }>;
  /** What could not be read for this repository although the rest could (checks, reviews), one sentence each. */
  gaps: string[];
  /** When any read was answered from Piper's last good copy because GitHub wasn't answering: the oldest copy's time. */
  staleAsOf?: string;
}

/** A repository that could not be read: its message is the sentence the standup shows. */
export class RepoUnreadable extends Error {
  override readonly name = "RepoUnreadable";
}

export interface ReadWindow {
  from: Date;
  to: Date;
}

/**
 * Reads one repository: the five listings in parallel (any failing fails the repository, with GitHub's
 * sentence), then reviews, review requests and checks for the pull requests that need them, in parallel
 * (one failing is a gap, not a failure).
 */
export async function readRepoActivity(github: GitHubClient, repo: string, window: ReadWindow): Promise<RepoActivity> {
  const stale: Date[] = [];
  const read = async <T>(load: () => Promise<Read<T>>): Promise<T> => {
    const r = await load();
    if (r.stale) stale.push(r.asOf);
    return r.value;
  };
  let base: [Issue[], Issue[], PullRequest[], PullRequest[], Awaited<ReturnType<GitHubClient["listCommits"]>>["value"]];
  try {
    base = await Promise.all([
      read(() => github.listIssues(repo, { state: "open" })),
      read(() => github.listIssues(repo, { state: "closed", since: window.from })),
      read(() => github.listPullRequests(repo, { state: "open" })),
      read(() => github.listPullRequests(repo, { state: "closed" })),
      read(() => github.listCommits(repo, { since: window.from, until: new Date(window.to.getTime() - 1) })),
    ]);
  } catch (err) {
    throw new RepoUnreadable(isIntegrationError(err) ? err.userMessage : "something went wrong on my side while reading it", { cause: err });
  }
  const [openIssues, closedIssues, openPulls, closedPulls, commits] = base;
  const gaps: string[] = [];
  const optional = async <T>(what: string, load: () => Promise<Read<T>>): Promise<T | undefined> => {
    try {
      return await read(load);
    } catch (err) {
      if (!isIntegrationError(err)) throw err;
      gaps.push(`I couldn't read ${what} (${err.userMessage.replace(/[.]$/, "")}).`);
      return undefined;
    }
  };

  const item = (kind: StandupItem["kind"], x: { number: number; title: string; url: string; labels?: string[]; createdAt?: string; updatedAt: string }): StandupItem => ({
    repo, kind, number: x.number, title: x.title, url: x.url, labels: x.labels ?? [], createdAt: x.createdAt ?? x.updatedAt,
  });
  const touched = [...openPulls, ...closedPulls].filter((p) => Date.parse(p.updatedAt) >= window.from.getTime());
  const [reviewLists, requestLists, checkList] = await Promise.all([
    Promise.all(touched.map((p) => optional(`the reviews of #${p.number}`, () => github.listReviews(repo, p.number)))),
    Promise.all(openPulls.map((p) => ((p.requestedReviewers ?? []).length > 0 ? optional(`when reviews of #${p.number} were requested`, () => github.listReviewRequests(repo, p.number)) : Promise.resolve([])))),
    Promise.all(openPulls.map((p) => (p.headSha ? optional(`the checks of #${p.number}`, () => github.checks(repo, p.headSha!)) : Promise.resolve(undefined)))),
  ]);

  const reviews: RepoActivity["reviews"] = touched.flatMap((p, i) =>
    (reviewLists[i] ?? []).flatMap((r) =>
      r.reviewer && r.submittedAt && inWindow(r.submittedAt, window) && r.reviewer !== p.author ? [{ reviewer: r.reviewer, state: r.state, at: r.submittedAt, url: r.url, pr: item("pr", p), prAuthor: p.author }] : [],
    ),
  );
  return {
    repo,
    merged: closedPulls.filter((p) => p.merged && inWindow(p.mergedAt, window)).map((p) => ({ ...item("pr", p), author: p.author, at: p.mergedAt! })),
    closed: closedIssues
      .filter((i) => inWindow(i.closedAt, window))
      .map((i) => ({ ...item("issue", i), people: i.assignees.length > 0 ? i.assignees : i.author ? [i.author] : [], at: i.closedAt! })),
    commits: commits
      .filter((c) => inWindow(c.date, window))
      .map((c) => ({ sha: c.sha, message: c.message.split("\n", 1)[0]!.trim(), author: c.author, url: c.url, at: c.date! })),
    reviews,
    openPrs: openPulls.map((p, i) => {
      const requested = new Set(p.requestedReviewers ?? []);
      // The latest request of each reviewer still requested: re-requesting restarts the wait.
      const since = new Map<string, string>();
      for (const r of requestLists[i] ?? []) if (requested.has(r.reviewer) && (since.get(r.reviewer) ?? "") < r.requestedAt) since.set(r.reviewer, r.requestedAt);
      const checks = checkList[i];
      return {
        ...item("pr", p), author: p.author, assignees: p.assignees ?? [], draft: p.draft ?? false,
        ...(checks ? { checks } : {}),
        waiting: [...since].map(([reviewer, at]) => ({ reviewer, since: at })),
      };
    }),
    openIssues: openIssues.map((i) => ({ ...item("issue", i), assignees: i.assignees })),
    gaps,
    ...(stale.length > 0 ? { staleAsOf: new Date(Math.min(...stale.map((d) => d.getTime()))).toISOString() } : {}),
  };
}
