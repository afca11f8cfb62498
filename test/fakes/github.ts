// A GitHub REST fake for the real Octokit client: seeded repos, issues, PRs and commits; GitHub's error bodies and rate-limit headers.
import { githubSeed, githubUsers, sha, type SeedIssue, type SeedRepo, type SeedUser } from "./github-seed.js";
import { startFakeServer, type FakeRequest, type FakeResponse, type FakeServer } from "./fake-server.js";

export interface GitHubFake extends FakeServer {
  token: string;
  repos: SeedRepo[];
  /** GitHub users by login (GET /users/{login}); tests add or change them. */
  users: SeedUser[];
  /** The next `times` requests get `status` with GitHub's error body for it. */
  failNext(times: number, status: number, body?: unknown): void;
  /** Primary rate limit: 403 with x-ratelimit-remaining 0 and a reset `resetInSeconds` from now. */
  exhaustRateLimitNext(resetInSeconds: number, times?: number): void;
  /** Secondary rate limit: 403 with Retry-After. */
  secondaryRateLimitNext(retryAfterSeconds: number, times?: number): void;
}

const DOCS = "https://docs.github.com/rest";
const ERROR_BODIES: Record<number, unknown> = {
  401: { message: "Bad credentials", documentation_url: DOCS, status: "401" },
  403: { message: "Resource not accessible by personal access token", documentation_url: DOCS, status: "403" },
  404: { message: "Not Found", documentation_url: DOCS, status: "404" },
  500: { message: "Server Error" },
  502: { message: "Server Error" },
  503: { message: "Service Unavailable" },
};

export async function startGitHubFake(options: { token?: string; now?: Date; port?: number } = {}): Promise<GitHubFake> {
  const token = options.token ?? "ghp_fake_token";
  const repos = githubSeed(options.now);
  const users = githubUsers();
  const pullByHead = (repo: SeedRepo, ref: string) => repo.issues.find((i) => i.isPullRequest && headSha(repo, i) === ref);
  let remaining = 5000;
  const resetAt = () => Math.floor(Date.now() / 1000) + 3600;

  const authed = (req: FakeRequest) => {
    const auth = req.headers.authorization ?? "";
    return auth === `token ${token}` || auth === `Bearer ${token}`;
  };
  const findRepo = (owner: string, name: string) => repos.find((r) => r.owner === owner && r.name === name);
  const guard = (req: FakeRequest, owner?: string, name?: string): FakeResponse | SeedRepo | undefined => {
    if (!authed(req)) return { status: 401, body: ERROR_BODIES[401] };
    if (owner === undefined) return undefined;
    const repo = findRepo(owner, name!);
    return repo ?? { status: 404, body: ERROR_BODIES[404] };
  };
  const isResponse = (v: unknown): v is FakeResponse => typeof v === "object" && v !== null && "status" in v;
  const withRepo = (fn: (repo: SeedRepo, req: FakeRequest, rest: string[]) => FakeResponse) => (req: FakeRequest, [owner, name, ...rest]: string[]) => {
    const g = guard(req, owner, name);
    return isResponse(g) ? g : fn(g as SeedRepo, req, rest);
  };

  const server = await startFakeServer(
    [
      ["GET", /^\/user\/repos$/, (req) => (authed(req) ? { status: 200, body: repos.map(repoJson) } : { status: 401, body: ERROR_BODIES[401] })],
      ["GET", /^\/repos\/([^/]+)\/([^/]+)\/issues$/, withRepo((repo, req) => ({ status: 200, body: filterIssues(repo, req).map((i) => issueJson(repo, i)) }))],
      [
        "GET",
        /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)$/,
        withRepo((repo, _req, [n]) => {
          const issue = repo.issues.find((i) => i.number === Number(n));
          return issue ? { status: 200, body: issueJson(repo, issue) } : { status: 404, body: ERROR_BODIES[404] };
        }),
      ],
      // GitHub's repository labels: here every label any seeded issue or PR carries, or a repo's own `labels` when a test sets them.
      ["GET", /^\/repos\/([^/]+)\/([^/]+)\/labels$/, withRepo((repo) => ({ status: 200, body: repoLabels(repo).map((name, k) => ({ id: k + 1, name, color: "ededed", default: false })) }))],
      [
        "GET",
        /^\/repos\/([^/]+)\/([^/]+)\/milestones$/,
        withRepo((repo, req) => {
          const state = req.query.get("state") ?? "open";
          const milestones = repoMilestones(repo).filter((m) => state === "all" || (m.state ?? "open") === state);
          return { status: 200, body: milestones.map((m) => milestoneListJson(repo, m)) };
        }),
      ],
      [
        "GET",
        /^\/repos\/([^/]+)\/([^/]+)\/pulls$/,
        withRepo((repo, req) => {
          const state = req.query.get("state") ?? "open";
          const prs = repo.issues.filter((i) => i.isPullRequest && (state === "all" || i.state === state));
          return { status: 200, body: prs.map((p) => pullJson(repo, p)) };
        }),
      ],
      [
        "GET",
        /^\/repos\/([^/]+)\/([^/]+)\/commits$/,
        withRepo((repo, req) => {
          const since = req.query.get("since");
          const until = req.query.get("until");
          const commits = repo.commits.filter((c) => (!since || c.date >= since) && (!until || c.date <= until));
          return { status: 200, body: commits.map((c) => commitJson(repo, c)) };
        }),
      ],
      [
        "GET",
        /^\/users\/([^/]+)$/,
        (req, [login]) => {
          if (!authed(req)) return { status: 401, body: ERROR_BODIES[401] };
          const u = users.find((x) => x.login.toLowerCase() === login!.toLowerCase());
          return u ? { status: 200, body: { ...user(u.login), name: u.name, email: u.email } } : { status: 404, body: ERROR_BODIES[404] };
        },
      ],
      [
        "GET",
        /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/reviews$/,
        withRepo((repo, _req, [n]) => {
          const p = repo.issues.find((i) => i.isPullRequest && i.number === Number(n));
          if (!p) return { status: 404, body: ERROR_BODIES[404] };
          const url = `https://github.com/${repo.owner}/${repo.name}/pull/${p.number}`;
          return { status: 200, body: (p.reviews ?? []).map((r, k) => ({ id: p.number * 100 + k, user: user(r.reviewer), state: r.state, submitted_at: r.submittedAt, html_url: `${url}#pullrequestreview-${k + 1}`, body: "" })) };
        }),
      ],
      [
        "GET",
        /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/events$/,
        withRepo((repo, _req, [n]) => {
          const i = repo.issues.find((x) => x.number === Number(n));
          if (!i) return { status: 404, body: ERROR_BODIES[404] };
          return { status: 200, body: (i.reviewRequests ?? []).map((r, k) => ({ id: i.number * 100 + k, event: "review_requested", actor: user(i.author), requested_reviewer: user(r.reviewer), created_at: r.requestedAt })) };
        }),
      ],
      [
        "GET",
        /^\/repos\/([^/]+)\/([^/]+)\/commits\/([^/]+)\/status$/,
        withRepo((repo, _req, [ref]) => {
          const statuses = pullByHead(repo, ref!)?.statuses ?? [];
          const state = statuses.some((s) => s.state === "failure" || s.state === "error") ? "failure" : statuses.some((s) => s.state === "pending") || statuses.length === 0 ? "pending" : "success";
          return { status: 200, body: { state, sha: ref, total_count: statuses.length, statuses: statuses.map((s, k) => ({ id: k + 1, context: s.context, state: s.state, description: null, target_url: null })) } };
        }),
      ],
      [
        "GET",
        /^\/repos\/([^/]+)\/([^/]+)\/commits\/([^/]+)\/check-runs$/,
        withRepo((repo, _req, [ref]) => {
          const runs = pullByHead(repo, ref!)?.checkRuns ?? [];
          return { status: 200, body: { total_count: runs.length, check_runs: runs.map((r, k) => ({ id: k + 1, name: r.name, head_sha: ref, status: r.status, conclusion: r.conclusion })) } };
        }),
      ],
      [
        "POST",
        /^\/repos\/([^/]+)\/([^/]+)\/issues$/,
        withRepo((repo, req) => {
          const input = (req.body ?? {}) as { title?: string; body?: string; labels?: string[]; assignees?: string[] };
          if (!input.title) {
            return { status: 422, body: { message: "Validation Failed", errors: [{ resource: "Issue", code: "missing_field", field: "title" }], documentation_url: DOCS, status: "422" } };
          }
          const now = new Date().toISOString();
          const issue: SeedIssue = {
            number: Math.max(0, ...repo.issues.map((i) => i.number)) + 1, title: input.title, state: "open", isPullRequest: false,
            assignees: input.assignees ?? [], labels: input.labels ?? [], author: "piper-bot", createdAt: now, updatedAt: now, closedAt: null, body: input.body ?? "",
          };
          repo.issues.push(issue);
          return { status: 201, body: issueJson(repo, issue) };
        }),
      ],
    ],
    {
      port: options.port,
      // GitHub sends its rate-limit state on every response.
      defaultHeaders: () => ({
        "x-ratelimit-limit": "5000",
        "x-ratelimit-remaining": String(Math.max(0, --remaining)),
        "x-ratelimit-reset": String(resetAt()),
        "x-ratelimit-used": String(5000 - remaining),
        "x-ratelimit-resource": "core",
        "x-github-request-id": `FAKE:${remaining}`,
      }),
    },
  );

  return Object.assign(server, {
    token,
    repos,
    users,
    failNext(times: number, status: number, body?: unknown) {
      server.push(() => ({ status, body: body ?? ERROR_BODIES[status] ?? { message: `HTTP ${status}` } }), times);
    },
    exhaustRateLimitNext(resetInSeconds: number, times = 1) {
      server.push(
        () => ({
          status: 403,
          body: { message: "API rate limit exceeded for user ID 1.", documentation_url: "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting", status: "403" },
          headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + resetInSeconds) },
        }),
        times,
      );
    },
    secondaryRateLimitNext(retryAfterSeconds: number, times = 1) {
      server.push(
        () => ({
          status: 403,
          body: { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", documentation_url: DOCS, status: "403" },
          headers: { "retry-after": String(retryAfterSeconds) },
        }),
        times,
      );
    },
  });
}

/** A seeded issue with the fields some tests need and the demo seed leaves out. */
export type FakeIssue = SeedIssue & { draft?: boolean };
/** A milestone a test gives a repository (one with no issues yet, or with a state or due date of its own). */
export interface FakeMilestone { number: number; title: string; dueOn: string | null; state?: "open" | "closed" }
export type FakeRepo = SeedRepo & { labels?: string[]; milestones?: FakeMilestone[] };

/** The repository's milestones: a test's own `milestones`, and those its issues carry (open unless a test says otherwise). */
function repoMilestones(repo: FakeRepo): FakeMilestone[] {
  const byNumber = new Map<number, FakeMilestone>();
  for (const m of repo.milestones ?? []) byNumber.set(m.number, m);
  for (const i of repo.issues) if (i.milestone && !byNumber.has(i.milestone.number)) byNumber.set(i.milestone.number, { ...i.milestone });
  return [...byNumber.values()];
}

function milestoneListJson(r: FakeRepo, m: FakeMilestone) {
  const issues = r.issues.filter((i) => !i.isPullRequest && i.milestone?.number === m.number);
  return {
    id: m.number, number: m.number, title: m.title, state: m.state ?? "open", due_on: m.dueOn, html_url: `https://github.com/${r.owner}/${r.name}/milestone/${m.number}`,
    open_issues: issues.filter((i) => i.state === "open").length, closed_issues: issues.filter((i) => i.state === "closed").length, description: null,
  };
}

function repoLabels(repo: FakeRepo): string[] {
  return repo.labels ?? [...new Set(repo.issues.flatMap((i) => i.labels))];
}

function filterIssues(repo: SeedRepo, req: FakeRequest): SeedIssue[] {
  const state = req.query.get("state") ?? "open";
  const since = req.query.get("since");
  const assignee = req.query.get("assignee");
  return repo.issues.filter((i) => (state === "all" || i.state === state) && (!since || i.updatedAt >= since) && (!assignee || i.assignees.includes(assignee)));
}

const user = (login: string) => ({ login, id: login.length, type: "User", html_url: `https://github.com/${login}` });

function repoJson(r: SeedRepo) {
  return {
    id: r.name.length * 1000, name: r.name, full_name: `${r.owner}/${r.name}`, owner: user(r.owner), private: r.private, description: r.description,
    html_url: `https://github.com/${r.owner}/${r.name}`, open_issues_count: r.issues.filter((i) => i.state === "open").length,
    default_branch: "main", pushed_at: r.commits[0]?.date ?? null, updated_at: r.commits[0]?.date ?? null,
  };
}

function issueJson(r: SeedRepo, i: SeedIssue) {
  const url = `https://github.com/${r.owner}/${r.name}/${i.isPullRequest ? "pull" : "issues"}/${i.number}`;
  return {
    id: r.name.length * 100_000 + i.number, number: i.number, title: i.title, state: i.state, body: i.body, html_url: url,
    user: user(i.author), assignee: i.assignees[0] ? user(i.assignees[0]) : null, assignees: i.assignees.map(user),
    labels: i.labels.map((name, k) => ({ id: k + 1, name, color: "ededed" })), comments: i.comments ?? 0,
    created_at: i.createdAt, updated_at: i.updatedAt, closed_at: i.closedAt, milestone: milestoneJson(r, i),
    ...(i.isPullRequest ? { pull_request: { url: `https://api.github.com/repos/${r.owner}/${r.name}/pulls/${i.number}`, html_url: url, merged_at: i.merged ? i.closedAt : null } } : {}),
  };
}

function pullJson(r: SeedRepo, p: SeedIssue) {
  return {
    id: r.name.length * 10_000 + p.number, number: p.number, title: p.title, state: p.state, html_url: `https://github.com/${r.owner}/${r.name}/pull/${p.number}`,
    user: user(p.author), assignees: p.assignees.map(user), labels: p.labels.map((name, k) => ({ id: k + 1, name, color: "ededed" })), milestone: milestoneJson(r, p), created_at: p.createdAt, updated_at: p.updatedAt, closed_at: p.closedAt,
    merged_at: p.merged ? p.closedAt : null, draft: (p as FakeIssue).draft ?? false, head: { ref: `topic-${p.number}`, sha: headSha(r, p) }, base: { ref: "main" },
    requested_reviewers: (p.reviewRequests ?? []).map((q) => user(q.reviewer)),
  };
}

/** The pull request's head commit: deterministic, so a test can ask for its checks. */
export function headSha(r: SeedRepo, p: SeedIssue): string {
  return sha(`${r.owner}/${r.name}#${p.number}`);
}

function milestoneJson(r: SeedRepo, i: SeedIssue) {
  const m = i.milestone;
  if (!m) return null;
  return { number: m.number, title: m.title, state: "open", due_on: m.dueOn, html_url: `https://github.com/${r.owner}/${r.name}/milestone/${m.number}` };
}

function commitJson(r: SeedRepo, c: { sha: string; message: string; author: string; date: string }) {
  return {
    sha: c.sha, html_url: `https://github.com/${r.owner}/${r.name}/commit/${c.sha}`, author: user(c.author), committer: user(c.author),
    commit: { message: c.message, author: { name: c.author, email: `${c.author}@acme.test`, date: c.date }, committer: { name: c.author, email: `${c.author}@acme.test`, date: c.date } },
  };
}
