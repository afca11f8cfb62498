// GitHub through @octokit/rest: retry, policy and throttling plugins in that order, errors mapped, reads cached, writes never repeated.
import { randomUUID } from "node:crypto";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import type { Logger } from "../logger.js";
import { InvalidRequest, OutcomeUnknown } from "./errors.js";
import { mapErrors, toGitHubError, writeOutcomeUnknown } from "./github-errors.js";
import { policyPlugin } from "./github-policy-plugin.js";
import type { ServicePolicy } from "./policy.js";
import { LastGoodCache, type Read } from "./stale-cache.js";

// Octokit runs the last-registered plugin outermost: throttling (waits for a turn) → policy
// (timeout and breaker, from the moment the request is sent) → retry (one quick retry of a read's 5xx).
const PiperOctokit = Octokit.plugin(retry, policyPlugin, throttling);

/** How far back the unknown-outcome lookup reaches, allowing for clock skew between Piper and GitHub. */
const LOOKUP_WINDOW_MS = 5 * 60_000;

/** Rate-limit waits the SDK may take by itself; anything longer is the user's to know about. */
const MAX_SDK_WAIT_SECONDS = 5;

export interface Repo {
  fullName: string; private: boolean; description: string | null; openIssues: number; url: string;
  /** When something was last pushed (null for an empty repository); "most recently active" orders by it. */
  pushedAt?: string | null;
}
/** GitHub's only due dates are milestones'; an issue carries its milestone. */
export interface Milestone {
  title: string; dueOn: string | null; url: string;
  /** Filled by listMilestones (an issue's own milestone leaves them out). */
  number?: number; state?: "open" | "closed"; openIssues?: number; closedIssues?: number;
}
export interface Issue {
  number: number; title: string; state: "open" | "closed"; url: string; assignees: string[]; labels: string[]; createdAt: string; closedAt: string | null; updatedAt: string; author: string | null;
  milestone?: Milestone | null;
  /** How many comments it has (GitHub counts them on every issue); optional so hand-built Issues still compile. */
  comments?: number;
}
export interface PullRequest {
  number: number; title: string; state: "open" | "closed"; merged: boolean; url: string; author: string | null; updatedAt: string; mergedAt: string | null;
  /** Optional so code that builds PullRequests by hand still compiles; the client always fills them. */
  createdAt?: string; labels?: string[]; draft?: boolean;
  /** Who is assigned, whose review is still requested, and the head commit's sha (its checks are read by it). */
  assignees?: string[]; requestedReviewers?: string[]; headSha?: string;
}
/** A submitted review of a pull request. */
export interface Review { reviewer: string | null; state: string; submittedAt: string | null; url: string }
/** When a review was requested of whom (a pull request's `review_requested` events). */
export interface ReviewRequest { reviewer: string; requestedAt: string }
/** What a commit's statuses and check runs say together: `failing` names the contexts and checks that failed. */
export interface CheckSummary { state: "failing" | "pending" | "passing" | "none"; failing: string[] }
/** A GitHub user's public profile: `email` only when they made it public. */
export interface GitHubUser { login: string; name: string | null; email: string | null }
export interface Commit { sha: string; message: string; author: string | null; date: string | null; url: string }

export interface GitHubClientOptions {
  token?: string;
  baseUrl: string;
  /** The github policy; it sees Octokit's raw errors, so build it with `isServiceFailure: isGitHubServiceFailure`. */
  policy: ServicePolicy;
  logger: Logger;
}

export interface NewIssue {
  title: string;
  body?: string;
  labels?: string[];
  assignees?: string[];
  /**
   * Names this write (e.g. the Slack event it answers). Carried in the body as a hidden comment, so
   * when GitHub's answer is lost Piper can find exactly the issue this call created. Defaults to a
   * fresh id per call.
   */
  idempotencyKey?: string;
}

export class GitHubClient {
  readonly #octokit: InstanceType<typeof PiperOctokit>;
  readonly #cache = new LastGoodCache();
  readonly #log: Logger;

  constructor(private readonly options: GitHubClientOptions) {
    const log = (this.#log = options.logger.child({ service: "github" }));
    this.#octokit = new PiperOctokit({
      auth: options.token,
      baseUrl: options.baseUrl,
      userAgent: "piper",
      log: { debug: () => undefined, info: () => undefined, warn: (m: string) => log.warn(m), error: (m: string) => log.error(m) },
      policy: options.policy,
      // One quick retry for a read's 5xx (the policy plugin turns it off for writes); 4xx are answers, not accidents.
      retry: { retries: 1, retryAfterBaseValue: 200 },
      throttle: {
        // The plugin's limiters are module-level, keyed by id: an id of its own gives this client its own queue.
        id: `piper-github-${randomUUID()}`,
        onRateLimit: (retryAfter: number, _o: unknown, _k: unknown, retryCount: number) => retryCount === 0 && retryAfter <= MAX_SDK_WAIT_SECONDS,
        onSecondaryRateLimit: (retryAfter: number, _o: unknown, _k: unknown, retryCount: number) => retryCount === 0 && retryAfter <= MAX_SDK_WAIT_SECONDS,
      },
    });
  }

  listRepos(): Promise<Read<Repo[]>> {
    return this.#read("repos", "your repositories", async () => {
      const { data } = await this.#octokit.repos.listForAuthenticatedUser({ per_page: 100, sort: "pushed", request: { operation: "listRepos" } });
      return data.map((r) => ({ fullName: r.full_name, private: r.private, description: r.description, openIssues: r.open_issues_count, url: r.html_url, pushedAt: r.pushed_at ?? null }));
    });
  }

  listIssues(repo: string, filter: { state?: "open" | "closed" | "all"; since?: Date; assignee?: string } = {}): Promise<Read<Issue[]>> {
    const { owner, name } = splitRepo(repo);
    const key = `issues:${repo}:${filter.state ?? "open"}:${filter.since?.toISOString() ?? ""}:${filter.assignee ?? ""}`;
    return this.#read(key, `the repository ${repo}`, async () => {
      const { data } = await this.#octokit.issues.listForRepo({
        owner, repo: name, state: filter.state ?? "open", since: filter.since?.toISOString(), assignee: filter.assignee, per_page: 100, request: { operation: "listIssues" },
      });
      // The issues endpoint also returns pull requests; Piper lists those separately.
      return data.filter((i) => !i.pull_request).map(toIssue);
    });
  }

  listPullRequests(repo: string, filter: { state?: "open" | "closed" | "all" } = {}): Promise<Read<PullRequest[]>> {
    const { owner, name } = splitRepo(repo);
    return this.#read(`pulls:${repo}:${filter.state ?? "open"}`, `the repository ${repo}`, async () => {
      const { data } = await this.#octokit.pulls.list({ owner, repo: name, state: filter.state ?? "open", sort: "updated", direction: "desc", per_page: 100, request: { operation: "listPullRequests" } });
      return data.map((p) => ({
        number: p.number, title: p.title, state: p.state as "open" | "closed", merged: p.merged_at !== null, url: p.html_url, author: p.user?.login ?? null, updatedAt: p.updated_at, mergedAt: p.merged_at,
        createdAt: p.created_at, labels: labelNames(p.labels ?? []), draft: p.draft ?? false,
        assignees: (p.assignees ?? []).map((a) => a.login), requestedReviewers: (p.requested_reviewers ?? []).flatMap((r) => ("login" in r && r.login ? [r.login] : [])), headSha: p.head?.sha,
      }));
    });
  }

  /** The repository's label names, as GitHub spells them (a question's "bugs" is matched against these). */
  listLabels(repo: string): Promise<Read<string[]>> {
    const { owner, name } = splitRepo(repo);
    return this.#read(`labels:${repo}`, `the repository ${repo}`, async () => {
      const { data } = await this.#octokit.issues.listLabelsForRepo({ owner, repo: name, per_page: 100, request: { operation: "listLabels" } });
      return data.map((l) => l.name);
    });
  }

  /** The repository's milestones (open by default), soonest due first; those without a due date last. */
  listMilestones(repo: string, filter: { state?: "open" | "closed" | "all" } = {}): Promise<Read<Milestone[]>> {
    const { owner, name } = splitRepo(repo);
    return this.#read(`milestones:${repo}:${filter.state ?? "open"}`, `the repository ${repo}`, async () => {
      const { data } = await this.#octokit.issues.listMilestones({ owner, repo: name, state: filter.state ?? "open", sort: "due_on", direction: "asc", per_page: 100, request: { operation: "listMilestones" } });
      return data.map((m) => ({
        title: m.title, dueOn: m.due_on, url: m.html_url, number: m.number, state: m.state as "open" | "closed", openIssues: m.open_issues, closedIssues: m.closed_issues,
      }));
    });
  }

  /** Commits on the default branch (GitHub's default when no branch is named), newest first. */
  listCommits(repo: string, filter: { since?: Date; until?: Date } = {}): Promise<Read<Commit[]>> {
    const { owner, name } = splitRepo(repo);
    return this.#read(`commits:${repo}:${filter.since?.toISOString() ?? ""}:${filter.until?.toISOString() ?? ""}`, `the repository ${repo}`, async () => {
      const { data } = await this.#octokit.repos.listCommits({ owner, repo: name, since: filter.since?.toISOString(), until: filter.until?.toISOString(), per_page: 100, request: { operation: "listCommits" } });
      return data.map((c) => ({ sha: c.sha, message: c.commit.message, author: c.author?.login ?? c.commit.author?.name ?? null, date: c.commit.author?.date ?? null, url: c.html_url }));
    });
  }

  listReviews(repo: string, number: number): Promise<Read<Review[]>> {
    const { owner, name } = splitRepo(repo);
    return this.#read(`reviews:${repo}#${number}`, `pull request #${number} in ${repo}`, async () => {
      const { data } = await this.#octokit.pulls.listReviews({ owner, repo: name, pull_number: number, per_page: 100, request: { operation: "listReviews" } });
      return data.map((r) => ({ reviewer: r.user?.login ?? null, state: r.state, submittedAt: r.submitted_at ?? null, url: r.html_url }));
    });
  }

  /** When each review on a pull request was requested, oldest first (its `review_requested` events). */
  listReviewRequests(repo: string, number: number): Promise<Read<ReviewRequest[]>> {
    const { owner, name } = splitRepo(repo);
    return this.#read(`review-requests:${repo}#${number}`, `pull request #${number} in ${repo}`, async () => {
      const { data } = await this.#octokit.issues.listEvents({ owner, repo: name, issue_number: number, per_page: 100, request: { operation: "listReviewRequests" } });
      return data.flatMap((e) => {
        const reviewer = (e as { requested_reviewer?: { login?: string } | null }).requested_reviewer?.login;
        return e.event === "review_requested" && reviewer ? [{ reviewer, requestedAt: e.created_at }] : [];
      });
    });
  }

  /**
   * A commit's combined status and its check runs, read together: failing when any status is failure/error
   * or any completed check run concluded failure, timed_out, cancelled or action_required.
   */
  checks(repo: string, sha: string): Promise<Read<CheckSummary>> {
    const { owner, name } = splitRepo(repo);
    return this.#read(`checks:${repo}@${sha}`, `the checks of ${sha.slice(0, 7)} in ${repo}`, async () => {
      const [status, runs] = await Promise.all([
        this.#octokit.repos.getCombinedStatusForRef({ owner, repo: name, ref: sha, per_page: 100, request: { operation: "getCombinedStatus" } }),
        this.#octokit.checks.listForRef({ owner, repo: name, ref: sha, per_page: 100, request: { operation: "listCheckRuns" } }),
      ]);
      const failing = [
        ...status.data.statuses.filter((s) => s.state === "failure" || s.state === "error").map((s) => s.context),
        ...runs.data.check_runs.filter((r) => r.status === "completed" && FAILED_CONCLUSIONS.has(r.conclusion ?? "")).map((r) => r.name),
      ];
      const pending = status.data.statuses.some((s) => s.state === "pending") || runs.data.check_runs.some((r) => r.status !== "completed");
      const any = status.data.statuses.length > 0 || runs.data.check_runs.length > 0;
      return { state: failing.length > 0 ? "failing" : pending ? "pending" : any ? "passing" : "none", failing: [...new Set(failing)] };
    });
  }

  getUser(login: string): Promise<Read<GitHubUser>> {
    return this.#read(`user:${login.toLowerCase()}`, `the GitHub user ${login}`, async () => {
      const { data } = await this.#octokit.users.getByUsername({ username: login, request: { operation: "getUser" } });
      return { login: data.login, name: data.name ?? null, email: data.email ?? null };
    });
  }

  getIssue(repo: string, number: number): Promise<Read<Issue>> {
    const { owner, name } = splitRepo(repo);
    return this.#read(`issue:${repo}#${number}`, `issue #${number} in ${repo}`, async () => {
      const { data } = await this.#octokit.issues.get({ owner, repo: name, issue_number: number, request: { operation: "getIssue" } });
      return toIssue(data);
    });
  }

  /**
   * A write: sent once, never served from cache, refused at once while GitHub is failing. When
   * GitHub may have acted but Piper got no success (a 5xx, a timeout), Piper looks for the issue
   * this call created and returns it; if it can't find it, OutcomeUnknown says so — never a second POST.
   */
  async createIssue(repo: string, input: NewIssue): Promise<Issue> {
    const { owner, name } = splitRepo(repo);
    const marker = keyMarker(input.idempotencyKey ?? randomUUID());
    const body = input.body ? `${input.body}\n\n${marker}` : marker;
    // Fail closed now rather than after waiting seconds for a turn in Octokit's write queue.
    this.options.policy.failFastIfOpen("createIssue");
    const sentAt = Date.now();
    try {
      const { data } = await this.#octokit.issues.create({
        owner, repo: name, title: input.title, body, labels: input.labels, assignees: input.assignees, request: { operation: "createIssue" },
      });
      return toIssue(data);
    } catch (err) {
      if (!writeOutcomeUnknown(err)) throw toGitHubError(err, `create issues in ${repo}`);
      const what = `creating the issue “${input.title}” in ${repo}`;
      const found = await this.#findCreated(owner, name, marker, new Date(sentAt - LOOKUP_WINDOW_MS)).catch((lookupErr: unknown) => {
        this.#log.warn({ err: lookupErr, operation: "createIssue" }, "could not look for an issue whose create went unconfirmed");
        throw new OutcomeUnknown("github", what, { looked: false, cause: err });
      });
      if (!found) throw new OutcomeUnknown("github", what, { looked: true, cause: err });
      this.#log.info({ repo, issue: found.number, operation: "createIssue" }, "GitHub created the issue although its answer was lost");
      return found;
    }
  }

  /**
   * The issue a `createIssue` with this idempotency key created, if GitHub has it: found by the hidden
   * marker in its body, among issues updated since `since` (without it, the 100 most recently created).
   * For a retried step that must look before it creates. A read under the github policy, but never
   * answered from the cache: a stale "not there" would create a second issue.
   */
  async findIssueByKey(repo: string, key: string, since?: Date): Promise<Issue | undefined> {
    const { owner, name } = splitRepo(repo);
    return mapErrors(`issues in ${repo}`, () => this.#findCreated(owner, name, keyMarker(key), since, "findIssueByKey"));
  }

  /** The issue carrying `marker` among those touched since `since`; the marker, not the title, tells Piper's own from look-alikes. */
  async #findCreated(owner: string, name: string, marker: string, since: Date | undefined, operation = "findUnconfirmedIssue"): Promise<Issue | undefined> {
    const { data } = await this.#octokit.issues.listForRepo({
      owner, repo: name, state: "all", since: since?.toISOString(), sort: "created", direction: "desc", per_page: 100, request: { operation },
    });
    const issue = data.find((i) => !i.pull_request && (i.body ?? "").includes(marker));
    return issue && toIssue(issue);
  }

  /** Reads run under the policy by way of the plugin; `request.operation` names them in metrics. */
  #read<T>(key: string, what: string, load: () => Promise<T>): Promise<Read<T>> {
    return this.#cache.read(key, () => mapErrors(what, load));
  }
}

const FAILED_CONCLUSIONS = new Set(["failure", "timed_out", "cancelled", "action_required"]);

/** The hidden comment createIssue puts in an issue's body, naming the write's idempotency key. */
function keyMarker(key: string): string {
  return `<!-- piper:key=${encodeURIComponent(key)} -->`;
}

function splitRepo(repo: string): { owner: string; name: string } {
  const [owner, name, ...rest] = repo.split("/");
  if (!owner || !name || rest.length > 0) throw new InvalidRequest("github", `“${repo}” is not a repository name like owner/repo`);
  return { owner, name };
}

interface RawIssue {
  number: number; title: string; state: string; html_url: string; created_at: string; closed_at: string | null; updated_at: string;
  assignees?: Array<{ login: string }> | null; labels: Array<string | { name?: string }>; user: { login: string } | null;
  milestone?: { title: string; due_on: string | null; html_url: string } | null;
  comments?: number;
}

function toIssue(i: RawIssue): Issue {
  return {
    number: i.number, title: i.title, state: i.state as "open" | "closed", url: i.html_url,
    assignees: (i.assignees ?? []).map((a) => a.login), labels: labelNames(i.labels),
    createdAt: i.created_at, closedAt: i.closed_at, updatedAt: i.updated_at, author: i.user?.login ?? null,
    milestone: i.milestone ? { title: i.milestone.title, dueOn: i.milestone.due_on, url: i.milestone.html_url } : null,
    comments: i.comments ?? 0,
  };
}

function labelNames(labels: Array<string | { name?: string }>): string[] {
  return labels.map((l) => (typeof l === "string" ? l : (l.name ?? ""))).filter(Boolean);
}
