// QUERY, the read path: counts, searches and look-ups answered straight from GitHub — "how many open bugs in web", "find issues about login", "what's issue 42 in acme/web".
import {
  allFailedSentence, footer, itemLink, openFor, plural, readEach, scopeOrReply, staleLine, together, daysBetween, type HandlerDeps, type RepoScope,
} from "../handlers/project-scope.js";
import { isIntegrationError } from "../integrations/errors.js";
import type { Issue, PullRequest } from "../integrations/github.js";
import type { Intent } from "../routing/intent.js";
import { reply, type Reply } from "../routing/router.js";
import { escapeMrkdwn, splitText, SECTION_LIMIT } from "../slack/format.js";

/** Items a search or a review list shows; the rest are counted. */
export const SHOWN = 10;
/** Items a count lists under each repository. */
const SHOWN_PER_REPO = 5;

export type QueryDeps = HandlerDeps & {
  /** The repository the asking room is linked to ("this channel is acme/web"), used when the question names none. */
  roomRepo?: () => Promise<string | undefined>;
};

export async function answerQuery(intent: Intent, text: string, deps: QueryDeps, now: Date = new Date()): Promise<Reply> {
  const words = text.toLowerCase();
  if (intent.action === "lookup_issue" || (!isKnownAction(intent.action) && issueReference(intent, text))) return lookupIssue(intent, text, deps, now);
  if (mentionsPRs(words) && asksForReview(words)) return awaitingReview(intent, text, deps, now);
  if (intent.action === "count_issues" || (!isKnownAction(intent.action) && /\b(how many|count|number of)\b|#\s*of\b/.test(words))) return countIssues(intent, text, deps);
  return findIssues(intent, text, deps);
}

function isKnownAction(action: string): boolean {
  return action === "count_issues" || action === "find_issues" || action === "lookup_issue";
}

// ── Scope ───────────────────────────────────────────────────────────────────────────────────────

/**
 * `resolveRepos`' scope, plus one thing only a question needs: "in web" names acme/web when a visible
 * repository is called that (entities only know `owner/name` and known projects). `consumed` are the
 * words that named it, so a search doesn't look for them in titles.
 */
async function queryScope(intent: Intent, text: string, deps: QueryDeps): Promise<{ scope: RepoScope; consumed: Set<string> } | Reply> {
  const consumed = new Set<string>();
  let scoped = intent;
  const candidates = [...text.toLowerCase().matchAll(/\b(?:in|for|on|from|of)\s+(?:the\s+)?([a-z0-9][a-z0-9._-]*)/g)].map((m) => m[1]!.replace(/[.]+$/, ""));
  if (intent.entities.repos.length === 0 && intent.entities.projects.length === 0 && candidates.length > 0) {
    try {
      const listed = await deps.github.listRepos();
      const named = listed.value.filter((r) => candidates.includes(shortName(r.fullName).toLowerCase())).map((r) => r.fullName);
      if (named.length > 0) {
        for (const r of named) consumed.add(shortName(r).toLowerCase());
        scoped = { ...intent, entities: { ...intent.entities, repos: named } };
      }
    } catch (err) {
      if (!isIntegrationError(err)) throw err;
      return reply(err.userMessage);
    }
  }
  // Named nowhere in the question: the room's linked repository, if it has one, before every visible repository.
  if (scoped.entities.repos.length === 0 && scoped.entities.projects.length === 0) {
    const linked = await deps.roomRepo?.();
    if (linked) scoped = { ...scoped, entities: { ...scoped.entities, repos: [linked] } };
  }
  const scope = await scopeOrReply(scoped, deps);
  if ("kind" in scope) return scope;
  for (const r of scope.repos) consumed.add(r.toLowerCase());
  return { scope, consumed };
}

function shortName(repo: string): string {
  return repo.slice(repo.indexOf("/") + 1);
}

// ── Words ───────────────────────────────────────────────────────────────────────────────────────

/** Words that carry no subject: grammar, politeness, and the question's own verbs and nouns. */
const STOP = new Set(
  (
    "a an the and or but of in on at to for from by with about regarding re around into onto as is are was were be been being am do does did done have has had " +
    "i me my we us our you your it its they them their this that these those there here what whats which who whom where when why how any all some every each " +
    "can could would should will shall may might must please pls plz thanks thank hey hi piper just only still right now rn currently " +
    "find finding search searching look looking lookup show showing list listing get give tell see know want need fetch pull up " +
    "issue issues ticket tickets item items thing things stuff one ones related mention mentions mentioning mentioned containing contain contains " +
    "called named titled title titles label labels labelled labeled tagged tag tags repo repos repository repositories github gh project projects " +
    "pr prs pull request requests open opened closed many much count number total"
  ).split(" "),
);

/** The words of a message worth searching for, lowercased, in order, without repeats. */
export function keywords(intent: Intent, text: string, consumed: Set<string> = new Set()): string[] {
  const source = (intent.entities.issueTitle ?? text)
    .replace(/https?:\/\/\S+/g, " ")
    .replace(/(?:^|\s)[@#][^\s]*/g, " ")
    .replace(/\b[\w.-]+\/[\w.-]+\b/g, " ");
  const out: string[] = [];
  for (const m of source.toLowerCase().matchAll(/[\p{L}\p{N}][\p{L}\p{N}_.+-]*/gu)) {
    const word = m[0].replace(/[._+-]+$/, "").replace(/'s$/, "");
    if (word.length < 2 || STOP.has(word) || consumed.has(word) || /^\d+$/.test(word)) continue;
    if (!out.includes(word)) out.push(word);
  }
  return out;
}

/** Singular, roughly: "bugs" → "bug", "queries" → "query"; enough to match words against labels and titles. */
export function stem(word: string): string {
  const w = word.toLowerCase();
  if (w.length > 4 && w.endsWith("ies")) return `${w.slice(0, -3)}y`;
  if (w.length > 3 && w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us")) return w.slice(0, -1);
  return w;
}

function mentionsPRs(words: string): boolean {
  return /\b(prs?|pull requests?|pulls)\b/.test(words);
}

function asksForReview(words: string): boolean {
  return /\breview(s|ed|ing|ers?)?\b/.test(words);
}

// ── Labels ──────────────────────────────────────────────────────────────────────────────────────

const NOT_LABEL_WORDS = new Set(["issue", "ticket", "pr", "pull", "request", "open", "closed", "item"]);

/** The repository's labels the message names: "bugs" names `bug`, "P1" names `p1`, "good first issue" names itself. */
export function labelsNamed(labels: string[], text: string): string[] {
  const lower = ` ${text.toLowerCase().replace(/[^\p{L}\p{N}:_-]+/gu, " ")} `;
  const stems = new Set(lower.split(" ").filter(Boolean).map(stem));
  return labels.filter((label) => {
    const l = label.toLowerCase().trim();
    if (l.length === 0 || NOT_LABEL_WORDS.has(stem(l)) || STOP.has(l)) return false;
    if (/[\s]/.test(l)) return lower.includes(` ${l.replace(/[^\p{L}\p{N}:_-]+/gu, " ")} `);
    return stems.has(stem(l));
  });
}

function hasLabelStem(item: { labels?: string[] }, labelStem: string): boolean {
  return (item.labels ?? []).some((l) => stem(l) === labelStem);
}

// ── Count ───────────────────────────────────────────────────────────────────────────────────────

interface CountData {
  labels: string[];
  issues?: Issue[];
  pulls?: PullRequest[];
}

async function countIssues(intent: Intent, text: string, deps: QueryDeps): Promise<Reply> {
  const scoped = await queryScope(intent, text, deps);
  if ("kind" in scoped) return scoped;
  const { scope } = scoped;
  const words = text.toLowerCase();
  const prs = mentionsPRs(words);
  const issues = !prs || /\b(issues?|tickets?|bugs?)\b/.test(words);
  const results = await readEach(scope.repos, async (repo) => {
    const [labels, open, pulls] = await Promise.all([
      deps.github.listLabels(repo),
      issues ? deps.github.listIssues(repo, { state: "open" }) : undefined,
      prs ? deps.github.listPullRequests(repo, { state: "open" }) : undefined,
    ]);
    const reads = [labels, open, pulls].filter((r) => r !== undefined);
    return together<CountData>(reads, { labels: labels.value, ...(open ? { issues: open.value } : {}), ...(pulls ? { pulls: pulls.value } : {}) });
  });
  const sentence = allFailedSentence(results);
  if (sentence) return reply(sentence);

  // The labels named, as stems, across every repository read: a repository without one of them has none of those.
  const named = new Map<string, string>();
  for (const r of results) if (r.ok) for (const l of labelsNamed(r.value.labels, text)) if (!named.has(stem(l))) named.set(stem(l), l);
  const wanted = [...named.keys()];
  const many = scope.repos.length > 1;
  let totalIssues = 0;
  let totalPrs = 0;
  const body: string[] = [];
  for (const r of results) {
    if (!r.ok) continue;
    const missing = wanted.filter((s) => !r.value.labels.some((l) => stem(l) === s)).map((s) => named.get(s)!);
    const matches = (item: { labels?: string[] }) => wanted.every((s) => hasLabelStem(item, s));
    const repoIssues = missing.length > 0 ? [] : (r.value.issues ?? []).filter(matches);
    const repoPrs = missing.length > 0 ? [] : (r.value.pulls ?? []).filter(matches);
    totalIssues += repoIssues.length;
    totalPrs += repoPrs.length;
    const counts = [issues ? plural(repoIssues.length, "open issue") : "", prs ? plural(repoPrs.length, "open PR") : ""].filter(Boolean).join(" · ");
    const base = htmlBase([...(r.value.issues ?? []), ...(r.value.pulls ?? [])]);
    const links = [
      issues ? `<${searchUrl(base, r.repo, "issues", ["is:open", "is:issue", ...wanted.map((s) => labelQualifier(named.get(s)!))])}|issues>` : "",
      prs ? `<${searchUrl(base, r.repo, "pulls", ["is:open", "is:pr", ...wanted.map((s) => labelQualifier(named.get(s)!))])}|PRs>` : "",
    ].filter(Boolean);
    if (missing.length > 0) {
      body.push(`• *${escapeMrkdwn(r.repo)}*: no ${missing.map((l) => `\`${escapeMrkdwn(l)}\``).join(" or ")} label`);
      continue;
    }
    body.push(`• *${escapeMrkdwn(r.repo)}*: ${counts} (on GitHub: ${links.join(", ")})`);
    const items = [...repoIssues, ...repoPrs].sort((a, b) => a.number - b.number);
    for (const item of items.slice(0, SHOWN_PER_REPO)) body.push(`    ◦ ${itemLink(item, r.repo, false)}`);
    if (items.length > SHOWN_PER_REPO) body.push(`    ◦ …and ${items.length - SHOWN_PER_REPO} more`);
  }
  const labelled = wanted.length > 0 ? ` labelled ${wanted.map((s) => `\`${escapeMrkdwn(named.get(s)!)}\``).join(" and ")}` : "";
  const total = [issues ? plural(totalIssues, "open issue") : "", prs ? plural(totalPrs, "open PR") : ""].filter(Boolean).join(" and ");
  const notes: string[] = [];
  if (wanted.length === 0 && /\bbugs?\b/.test(words)) notes.push(`${many ? "None of these repositories has" : "This repository has no"} \`bug\` label, so I counted every open issue.`);
  const headline = many ? `${total}${labelled} ${scope.scope}:` : `${total}${labelled} ${scope.scope}.`;
  return answer(headline, body, [...notes.map((n) => `_${n}_`), ...footer(results, scope.note)]);
}

function labelQualifier(label: string): string {
  return /[\s,]/.test(label) ? `label:"${label}"` : `label:${label}`;
}

/** GitHub's web address for a repository's filtered list. */
function searchUrl(base: string, repo: string, kind: "issues" | "pulls", qualifiers: string[]): string {
  return `${base}/${repo}/${kind}?q=${encodeURIComponent(qualifiers.join(" "))}`;
}

/** github.com, or a GitHub Enterprise host, read off an item's own link. */
function htmlBase(items: Array<{ url: string }>): string {
  for (const item of items) {
    const m = /^(https?:\/\/.+?)\/[^/]+\/[^/]+\/(?:issues|pull)\/\d+/.exec(item.url);
    if (m) return m[1]!;
  }
  return "https://github.com";
}

// ── Find ────────────────────────────────────────────────────────────────────────────────────────

interface Match {
  repo: string;
  item: Issue | PullRequest;
  /** How many of the keywords it matched, then how strongly. */
  matched: number;
  score: number;
}

async function findIssues(intent: Intent, text: string, deps: QueryDeps): Promise<Reply> {
  const scoped = await queryScope(intent, text, deps);
  if ("kind" in scoped) return scoped;
  const { scope, consumed } = scoped;
  const words = text.toLowerCase();
  const wanted = keywords(intent, text, consumed);
  const prs = mentionsPRs(words) && !/\b(issues?|tickets?|bugs?)\b/.test(words);
  const noun = prs ? "PRs" : "issues";
  if (wanted.length === 0) return reply(`What should I look for? Give me a word or two from the title or a label — like “find ${noun} about login”.`);
  const state: "open" | "closed" | "all" = /\bopen\b/.test(words) && !/\bclosed\b/.test(words) ? "open" : /\bclosed\b/.test(words) && !/\bopen\b/.test(words) ? "closed" : "all";
  const results = await readEach(scope.repos, async (repo) => {
    const read = prs ? await deps.github.listPullRequests(repo, { state }) : await deps.github.listIssues(repo, { state });
    return together<Array<Issue | PullRequest>>([read], read.value);
  });
  const sentence = allFailedSentence(results);
  if (sentence) return reply(sentence);

  const order = new Map(scope.repos.map((r, i) => [r, i]));
  const found: Match[] = results
    .flatMap((r) => (r.ok ? r.value.map((item) => ({ repo: r.repo, item, ...relevance(item, wanted) })) : []))
    .filter((m) => m.matched > 0)
    .sort(
      (a, b) =>
        b.matched - a.matched || b.score - a.score || openFirst(a.item) - openFirst(b.item) || b.item.updatedAt.localeCompare(a.item.updatedAt) ||
        order.get(a.repo)! - order.get(b.repo)! || a.item.number - b.item.number,
    );
  const about = `“${escapeMrkdwn(wanted.join(" "))}”`;
  const stateWord = state === "all" ? "" : `${state} `;
  if (found.length === 0) return answer(`I found no ${stateWord}${noun} ${scope.scope} matching ${about}.`, [], footer(results, scope.note));
  const many = scope.repos.length > 1;
  const lines = found.slice(0, SHOWN).map((m) => `• ${itemLink(m.item, m.repo, many)} — ${describe(m.item)}`);
  if (found.length > SHOWN) lines.push(`…and ${found.length - SHOWN} more.`);
  const headline = `${plural(found.length, `${stateWord}${noun === "PRs" ? "PR" : "issue"}`)} ${scope.scope} matching ${about}${found.length > 1 ? ", best matches first" : ""}:`;
  return answer(headline, lines, footer(results, scope.note));
}

/** Per keyword its best hit: a title word (3), a label (2), part of a title word (1). */
export function relevance(item: { title: string; labels?: string[] }, wanted: string[]): { matched: number; score: number } {
  const titleWords = item.title.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const titleStems = new Set(titleWords.map(stem));
  const labelStems = new Set((item.labels ?? []).flatMap((l) => [stem(l), ...l.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean).map(stem)]));
  let matched = 0;
  let score = 0;
  for (const word of wanted) {
    const s = stem(word);
    const hit = titleStems.has(s) ? 3 : labelStems.has(s) ? 2 : s.length >= 3 && titleWords.some((w) => w.includes(s)) ? 1 : 0;
    if (hit > 0) matched++;
    score += hit;
  }
  return { matched, score };
}

function openFirst(item: { state: string }): number {
  return item.state === "open" ? 0 : 1;
}

function describe(item: Issue | PullRequest): string {
  const merged = "merged" in item && item.merged;
  const state = merged ? "merged" : item.state;
  const labels = item.labels && item.labels.length > 0 ? ` · ${item.labels.map(escapeMrkdwn).join(", ")}` : "";
  return `${state}${labels}`;
}

// ── Waiting for review ──────────────────────────────────────────────────────────────────────────

async function awaitingReview(intent: Intent, text: string, deps: QueryDeps, now: Date): Promise<Reply> {
  const scoped = await queryScope(intent, text, deps);
  if ("kind" in scoped) return scoped;
  const { scope } = scoped;
  const results = await readEach(scope.repos, async (repo) => {
    const read = await deps.github.listPullRequests(repo, { state: "open" });
    return together([read], read.value);
  });
  const sentence = allFailedSentence(results);
  if (sentence) return reply(sentence);

  const open = results.flatMap((r) => (r.ok ? r.value.filter((p) => p.state === "open").map((pr) => ({ repo: r.repo, pr })) : []));
  const drafts = open.filter((o) => o.pr.draft).length;
  const order = new Map(scope.repos.map((r, i) => [r, i]));
  const waiting = open
    .filter((o) => !o.pr.draft)
    .sort((a, b) => created(a.pr).localeCompare(created(b.pr)) || order.get(a.repo)! - order.get(b.repo)! || a.pr.number - b.pr.number);
  const draftNote = drafts > 0 ? [`_${plural(drafts, "draft")} left out: ${drafts === 1 ? "it isn't" : "they aren't"} asking for review yet._`] : [];
  if (waiting.length === 0) return answer(`No open PRs are waiting for review ${scope.scope}.`, [], [...draftNote, ...footer(results, scope.note)]);
  const many = scope.repos.length > 1;
  const lines = waiting.slice(0, SHOWN).map(({ repo, pr }) => `• ${itemLink(pr, repo, many)} — ${openFor(created(pr), now)}${pr.author ? `, by ${escapeMrkdwn(pr.author)}` : ""}`);
  if (waiting.length > SHOWN) lines.push(`…and ${waiting.length - SHOWN} more.`);
  return answer(`${plural(waiting.length, "PR")} waiting for review ${scope.scope}, oldest first:`, lines, [...draftNote, ...footer(results, scope.note)]);
}

function created(pr: PullRequest): string {
  return pr.createdAt ?? pr.updatedAt;
}

// ── Look up ─────────────────────────────────────────────────────────────────────────────────────

interface Reference {
  number: number;
  /** Set when the message says which repository (a link, `acme/web#42`). */
  repo?: string;
}

const ISSUE_URL = /https?:\/\/[^\s/]+\/([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)\/(?:issues|pull)\/(\d+)/;

/** "#42", "issue 42", "PR #7", "acme/web#42", or a link to an issue or PR. */
export function issueReference(intent: Intent, text: string): Reference | undefined {
  for (const candidate of [...intent.entities.links.map((l) => l.url), text]) {
    const url = ISSUE_URL.exec(candidate);
    if (url) return { repo: `${url[1]}/${url[2]!.replace(/\.git$/, "")}`, number: Number(url[3]) };
  }
  const qualified = /\b([A-Za-z0-9-]+\/[A-Za-z0-9._-]+)#(\d+)\b/.exec(text);
  if (qualified) return { repo: qualified[1]!, number: Number(qualified[2]) };
  const bare = /(?:^|[\s(])#(\d+)\b/.exec(text) ?? /\b(?:issues?|prs?|pull requests?|tickets?|bugs?|number|no\.?)\s*#?\s*(\d+)\b/i.exec(text);
  return bare ? { number: Number(bare[1]) } : undefined;
}

async function lookupIssue(intent: Intent, text: string, deps: QueryDeps, now: Date): Promise<Reply> {
  const ref = issueReference(intent, text);
  if (!ref) return reply("Which issue? Give me its number (like #42) or its GitHub link.");
  let repos: string[];
  let note: string | undefined;
  let phrase: string;
  if (ref.repo) {
    repos = [ref.repo];
    phrase = `in ${ref.repo}`;
  } else {
    const scoped = await queryScope(intent, text, deps);
    if ("kind" in scoped) return scoped;
    ({ repos, note } = scoped.scope);
    phrase = scoped.scope.scope;
  }
  const reads = await Promise.all(
    repos.map(async (repo) => {
      try {
        return { repo, read: await deps.github.getIssue(repo, ref.number) };
      } catch (err) {
        if (!isIntegrationError(err)) throw err;
        return { repo, notFound: err.code === "NOT_FOUND", sentence: err.userMessage };
      }
    }),
  );
  const found = reads.flatMap((r) => ("read" in r && r.read ? [{ repo: r.repo, issue: r.read.value, staleAsOf: r.read.stale ? r.read.asOf : undefined }] : []));
  const failed = reads.flatMap((r) => ("sentence" in r && !r.notFound ? [{ repo: r.repo, sentence: r.sentence! }] : []));
  const notes = [...failed.map((f) => `_${escapeMrkdwn(f.repo)}: ${f.sentence}_`), ...(note ? [`_${note}_`] : [])];
  const stale = found.flatMap((f) => (f.staleAsOf ? [f.staleAsOf] : []));
  if (stale.length > 0) notes.push(staleLine("GitHub", stale.reduce((a, b) => (a <= b ? a : b))));
  if (found.length === 0) {
    if (failed.length === repos.length) return reply(failed[0]!.sentence);
    return answer(`I couldn't find #${ref.number} ${phrase}.`, [], notes);
  }
  if (found.length === 1) {
    const { repo, issue } = found[0]!;
    return answer(`*${itemLink(issue, repo, true)}*`, issueDetails(issue, now), notes);
  }
  const lines = found.map(({ repo, issue }) => `• ${itemLink(issue, repo, true)} — ${describe(issue)}`);
  return answer(`There's a #${ref.number} in ${plural(found.length, "repository", "repositories")} — which did you mean?`, lines, notes);
}

function issueDetails(issue: Issue, now: Date): string[] {
  const kind = /\/pull\/\d+$/.test(issue.url) ? "PR" : "Issue";
  const state = issue.state === "open" ? `${kind} · open` : `${kind} · closed${issue.closedAt ? ` ${ago(issue.closedAt, now)}` : ""}`;
  const lines = [
    `${state} · opened ${ago(issue.createdAt, now)}${issue.author ? ` by ${escapeMrkdwn(issue.author)}` : ""}`,
    `Labels: ${issue.labels.length > 0 ? issue.labels.map((l) => `\`${escapeMrkdwn(l)}\``).join(", ") : "none"}`,
    `Assignees: ${issue.assignees.length > 0 ? issue.assignees.map(escapeMrkdwn).join(", ") : "nobody"}`,
  ];
  if (issue.milestone) lines.push(`Milestone: <${issue.milestone.url}|${escapeMrkdwn(issue.milestone.title)}>${issue.milestone.dueOn ? `, due ${issue.milestone.dueOn.slice(0, 10)}` : ""}`);
  return lines;
}

function ago(at: string, now: Date): string {
  const days = daysBetween(at, now);
  return days === 0 ? "today" : `${plural(days, "day")} ago`;
}

// ── The reply ───────────────────────────────────────────────────────────────────────────────────

/**
 * Block Kit: the headline, the list, and the notes in small print. `text` carries the same in mrkdwn,
 * for notifications and clients that can't show blocks.
 */
function answer(headline: string, lines: string[], notes: string[]): Reply {
  const small = notes.filter((n) => n.trim().length > 0);
  const text = [headline, ...lines, ...(small.length > 0 ? ["", ...small] : [])].join("\n");
  const blocks: unknown[] = [{ type: "section", text: { type: "mrkdwn", text: clip(headline) } }];
  if (lines.length > 0) for (const chunk of splitText(lines.join("\n"), SECTION_LIMIT)) blocks.push({ type: "section", text: { type: "mrkdwn", text: chunk } });
  // A context block holds at most 10 elements.
  if (small.length > 0) blocks.push({ type: "context", elements: small.slice(0, 10).map((n) => ({ type: "mrkdwn", text: clip(n) })) });
  return reply(text, blocks);
}

function clip(text: string): string {
  return text.length <= SECTION_LIMIT ? text : `${text.slice(0, SECTION_LIMIT - 1)}…`;
}
