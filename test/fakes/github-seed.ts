// A demo organisation for local mode and tests: three repos with issues, pull requests and commits over the last week.

export interface SeedIssue {
  number: number; title: string; state: "open" | "closed"; assignees: string[]; labels: string[]; author: string;
  createdAt: string; updatedAt: string; closedAt: string | null; body: string; isPullRequest: boolean; merged?: boolean;
  /** GitHub's due dates live on milestones; the seed has none, tests add them. */
  milestone?: { number: number; title: string; dueOn: string | null };
  /** GitHub's comment count; the seed leaves it out (0), tests set it. */
  comments?: number;
  /** Pull requests: submitted reviews, review requests still open (and when they were made), and the head commit's checks. */
  reviews?: Array<{ reviewer: string; state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED"; submittedAt: string }>;
  reviewRequests?: Array<{ reviewer: string; requestedAt: string }>;
  statuses?: Array<{ context: string; state: "success" | "failure" | "error" | "pending" }>;
  checkRuns?: Array<{ name: string; status: "queued" | "in_progress" | "completed"; conclusion: string | null }>;
}
/** A GitHub user's public profile; `email` is null unless they made it public. */
export interface SeedUser { login: string; name: string; email: string | null }

/** The demo organisation's people. Alice's e-mail is public (Piper can match her to Slack by it); the others' aren't. */
export function githubUsers(): SeedUser[] {
  return [
    { login: "alice", name: "Alice Example", email: "alice@acme.test" },
    { login: "bob", name: "Bob Example", email: null },
    { login: "carol", name: "Carol Example", email: "carol@acme.test" },
    { login: "dan", name: "Dan Example", email: null },
  ];
}
export interface SeedCommit { sha: string; message: string; author: string; date: string }
export interface SeedRepo { owner: string; name: string; description: string; private: boolean; issues: SeedIssue[]; commits: SeedCommit[] }

const PEOPLE = ["alice", "bob", "carol", "dan"];

/** Deterministic for a given `now`, so tests and the demo agree on what happened "yesterday". */
export function githubSeed(now: Date = new Date()): SeedRepo[] {
  const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();
  const repo = (name: string, description: string, items: Array<[string, "open" | "closed", boolean, string, string[], number]>, commits: Array<[string, string, number]>): SeedRepo => ({
    owner: "acme",
    name,
    description,
    private: name !== "web",
    issues: items.map(([title, state, isPullRequest, assignee, labels, age], i) => ({
      number: i + 1, title, state, isPullRequest, assignees: assignee ? [assignee] : [], labels, author: PEOPLE[i % PEOPLE.length]!,
      createdAt: hoursAgo(age + 24), updatedAt: hoursAgo(age), closedAt: state === "closed" ? hoursAgo(age) : null,
      body: `${title}.`, merged: isPullRequest && state === "closed" ? i % 3 !== 0 : undefined,
    })),
    commits: commits.map(([message, author, age], i) => ({ sha: sha(`${name}${i}`), message, author, date: hoursAgo(age) })),
  });
  const repos = [
    repo("web", "Customer web app", [
      ["Login fails on Safari 17", "open", false, "alice", ["bug", "p1"], 5],
      ["Dark mode for settings", "open", false, "carol", ["feature"], 30],
      ["Fix Safari login cookie", "open", true, "alice", [], 3],
      ["Upgrade build to Vite 8", "closed", true, "bob", ["chore"], 20],
      ["Broken link in footer", "closed", false, "dan", ["bug"], 44],
    ], [["Fix cookie SameSite on Safari", "alice", 2], ["Vite 8 build", "bob", 21], ["Footer link", "dan", 45]]),
    repo("mobile", "iOS and Android apps", [
      ["Crash on launch on Android 15", "open", false, "bob", ["bug", "p0"], 2],
      ["Offline mode for tasks", "open", false, "carol", ["feature"], 70],
      ["Push notification settings", "open", true, "carol", [], 8],
      ["Release 2.4 checklist", "closed", false, "alice", ["release"], 26],
    ], [["Guard null intent extras", "bob", 4], ["Notification settings screen", "carol", 9], ["Bump version to 2.4", "alice", 27]]),
    repo("api", "Public REST API", [
      ["Rate limit headers missing on 429", "open", false, "dan", ["bug"], 12],
      ["Pagination cursor for /projects", "closed", true, "dan", [], 18],
      ["Deprecate v1 endpoints", "open", false, "", ["planning"], 120],
    ], [["Add cursor pagination", "dan", 19], ["Return Retry-After on 429", "dan", 11]]),
  ];
  // Reviews and checks (the standup reads them): extra fields on existing pull requests, so every listing stays as it was.
  const pr = (name: string, n: number) => repos.find((r) => r.name === name)!.issues.find((i) => i.number === n)!;
  Object.assign(pr("web", 3), {
    reviewRequests: [{ reviewer: "bob", requestedAt: hoursAgo(30) }],
    statuses: [{ context: "ci/lint", state: "success" }],
    checkRuns: [{ name: "test (safari)", status: "completed", conclusion: "failure" }],
  });
  Object.assign(pr("web", 4), { reviews: [{ reviewer: "carol", state: "COMMENTED", submittedAt: hoursAgo(21) }] });
  Object.assign(pr("mobile", 3), { checkRuns: [{ name: "build", status: "completed", conclusion: "success" }] });
  Object.assign(pr("api", 2), { reviews: [{ reviewer: "alice", state: "APPROVED", submittedAt: hoursAgo(19) }] });
  return repos;
}

export function sha(seed: string): string {
  let h = 2166136261;
  let out = "";
  for (let i = 0; out.length < 40; i++) {
    h = Math.imul(h ^ seed.charCodeAt(i % seed.length) ^ i, 16777619) >>> 0;
    out += h.toString(16).padStart(8, "0");
  }
  return out.slice(0, 40);
}
