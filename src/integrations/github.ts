// GitHub through @octokit/rest: throttling and retry plugins configured, errors mapped, reads cached, writes fail closed.
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import type { Logger } from "../logger.js";
import { AuthenticationFailed, InvalidRequest, NotFound, PermissionDenied, RateLimited, ServiceUnavailable, isIntegrationError, retryAfterSeconds } from "./errors.js";
import type { ServicePolicy } from "./policy.js";
import { LastGoodCache, type Read } from "./stale-cache.js";

const PiperOctokit = Octokit.plugin(throttling, retry);

/** Rate-limit waits the SDK may take by itself; anything longer is the user's to know about. */
const MAX_SDK_WAIT_SECONDS = 5;

export interface Repo { fullName: string; private: boolean; description: string | null; openIssues: number; url: string }
export interface Issue { number: number; title: string; state: "open" | "closed"; url: string; assignees: string[]; labels: string[]; createdAt: string; closedAt: string | null; updatedAt: string; author: string | null }
export interface PullRequest { number: number; title: string; state: "open" | "closed"; merged: boolean; url: string; author: string | null; updatedAt: string; mergedAt: string | null }
export interface Commit { sha: string; message: string; author: string | null; date: string | null; url: string }

export interface GitHubClientOptions { token?: string; baseUrl: string; policy: ServicePolicy; logger: Logger }

export class GitHubClient {
  readonly #octokit: InstanceType<typeof PiperOctokit>;
  readonly #cache = new LastGoodCache();

  constructor(private readonly options: GitHubClientOptions) {
    const log = options.logger.child({ service: "github" });
    this.#octokit = new PiperOctokit({
      auth: options.token,
      baseUrl: options.baseUrl,
      userAgent: "piper",
      log: { debug: () => undefined, info: () => undefined, warn: (m: string) => log.warn(m), error: (m: string) => log.error(m) },
      // One quick retry for 5xx; 4xx are answers, not accidents.
      retry: { retries: 1, retryAfterBaseValue: 200 },
      throttle: {
        onRateLimit: (retryAfter: number, _o: unknown, _k: unknown, retryCount: number) => retryCount === 0 && retryAfter <= MAX_SDK_WAIT_SECONDS,
        onSecondaryRateLimit: (retryAfter: number, _o: unknown, _k: unknown, retryCount: number) => retryCount === 0 && retryAfter <= MAX_SDK_WAIT_SECONDS,
      },
    });
  }

  listRepos(): Promise<Read<Repo[]>> {
    return this.#read("repos", "listRepos", "your repositories", async (signal) => {
      const { data } = await this.#octokit.repos.listForAuthenticatedUser({ per_page: 100, sort: "pushed", request: { signal } });
      return data.map((r) => ({ fullName: r.full_name, private: r.private, description: r.description, openIssues: r.open_issues_count, url: r.html_url }));
    });
  }

  listIssues(repo: string, filter: { state?: "open" | "closed" | "all"; since?: Date; assignee?: string } = {}): Promise<Read<Issue[]>> {
    const { owner, name } = splitRepo(repo);
    const key = `issues:${repo}:${filter.state ?? "open"}:${filter.since?.toISOString() ?? ""}:${filter.assignee ?? ""}`;
    return this.#read(key, "listIssues", `the repository ${repo}`, async (signal) => {
      const { data } = await this.#octokit.issues.listForRepo({
        owner, repo: name, state: filter.state ?? "open", since: filter.since?.toISOString(), assignee: filter.assignee, per_page: 100, request: { signal },
      });
      // The issues endpoint also returns pull requests; Piper lists those separately.
      return data.filter((i) => !i.pull_request).map(toIssue);
    });
  }

  listPullRequests(repo: string, filter: { state?: "open" | "closed" | "all" } = {}): Promise<Read<PullRequest[]>> {
    const { owner, name } = splitRepo(repo);
    return this.#read(`pulls:${repo}:${filter.state ?? "open"}`, "listPullRequests", `the repository ${repo}`, async (signal) => {
      const { data } = await this.#octokit.pulls.list({ owner, repo: name, state: filter.state ?? "open", sort: "updated", direction: "desc", per_page: 100, request: { signal } });
      return data.map((p) => ({ number: p.number, title: p.title, state: p.state as "open" | "closed", merged: p.merged_at !== null, url: p.html_url, author: p.user?.login ?? null, updatedAt: p.updated_at, mergedAt: p.merged_at }));
    });
  }

  listCommits(repo: string, filter: { since?: Date } = {}): Promise<Read<Commit[]>> {
    const { owner, name } = splitRepo(repo);
    return this.#read(`commits:${repo}:${filter.since?.toISOString() ?? ""}`, "listCommits", `the repository ${repo}`, async (signal) => {
      const { data } = await this.#octokit.repos.listCommits({ owner, repo: name, since: filter.since?.toISOString(), per_page: 100, request: { signal } });
      return data.map((c) => ({ sha: c.sha, message: c.commit.message, author: c.author?.login ?? c.commit.author?.name ?? null, date: c.commit.author?.date ?? null, url: c.html_url }));
    });
  }

  getIssue(repo: string, number: number): Promise<Read<Issue>> {
    const { owner, name } = splitRepo(repo);
    return this.#read(`issue:${repo}#${number}`, "getIssue", `issue #${number} in ${repo}`, async (signal) => {
      const { data } = await this.#octokit.issues.get({ owner, repo: name, issue_number: number, request: { signal } });
      return toIssue(data);
    });
  }

  /** A write: never retried on a guess, never served from cache; while GitHub is failing it fails closed. */
  async createIssue(repo: string, input: { title: string; body?: string; labels?: string[]; assignees?: string[] }): Promise<Issue> {
    const { owner, name } = splitRepo(repo);
    return this.options.policy.execute(
      (signal) =>
        mapErrors(`create issues in ${repo}`, async () => {
          const { data } = await this.#octokit.issues.create({ owner, repo: name, title: input.title, body: input.body, labels: input.labels, assignees: input.assignees, request: { signal } });
          return toIssue(data);
        }),
      "createIssue",
    );
  }

  #read<T>(key: string, operation: string, what: string, load: (signal: AbortSignal) => Promise<T>): Promise<Read<T>> {
    return this.#cache.read(key, () => this.options.policy.execute((signal) => mapErrors(what, () => load(signal)), operation));
  }
}

function splitRepo(repo: string): { owner: string; name: string } {
  const [owner, name, ...rest] = repo.split("/");
  if (!owner || !name || rest.length > 0) throw new InvalidRequest("github", `“${repo}” is not a repository name like owner/repo`);
  return { owner, name };
}

interface RawIssue {
  number: number; title: string; state: string; html_url: string; created_at: string; closed_at: string | null; updated_at: string;
  assignees?: Array<{ login: string }> | null; labels: Array<string | { name?: string }>; user: { login: string } | null;
}

function toIssue(i: RawIssue): Issue {
  return {
    number: i.number, title: i.title, state: i.state as "open" | "closed", url: i.html_url,
    assignees: (i.assignees ?? []).map((a) => a.login), labels: i.labels.map((l) => (typeof l === "string" ? l : (l.name ?? ""))).filter(Boolean),
    createdAt: i.created_at, closedAt: i.closed_at, updatedAt: i.updated_at, author: i.user?.login ?? null,
  };
}

/** Octokit's RequestError → Piper's typed errors; `what` names the thing for NotFound/PermissionDenied sentences. */
export async function mapErrors<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toGitHubError(err, what);
  }
}

export function toGitHubError(err: unknown, what: string): Error {
  if (isIntegrationError(err)) return err;
  const e = err as { status?: number; response?: { headers?: Record<string, string | undefined>; data?: { message?: string; errors?: Array<{ message?: string; field?: string; code?: string }> } }; name?: string };
  const status = e.status;
  const headers = e.response?.headers ?? {};
  if (status === 401) return new AuthenticationFailed("github", { cause: err });
  if (status === 403 || status === 429) {
    const wait = rateLimitWait(headers);
    if (wait !== undefined) return new RateLimited("github", wait, { cause: err });
    return new PermissionDenied("github", `access ${what}`, { cause: err });
  }
  if (status === 404) return new NotFound("github", what, { cause: err });
  if (status === 422 || status === 400) {
    const details = (e.response?.data?.errors ?? []).map((d) => d.message ?? [d.field, d.code].filter(Boolean).join(" ")).filter(Boolean);
    return new InvalidRequest("github", [e.response?.data?.message ?? "invalid request", ...details].join(": "), { cause: err });
  }
  if (e.name === "AbortError") return err as Error;
  return new ServiceUnavailable("github", status ? `HTTP ${status}` : (err as Error).message ?? "network error", undefined, { cause: err });
}

function rateLimitWait(headers: Record<string, string | undefined>): number | undefined {
  const after = retryAfterSeconds(headers["retry-after"]);
  if (after !== undefined) return Math.max(1, after);
  if (headers["x-ratelimit-remaining"] === "0" && headers["x-ratelimit-reset"]) {
    return Math.max(1, Math.ceil(Number(headers["x-ratelimit-reset"]) - Date.now() / 1000));
  }
  return undefined;
}
