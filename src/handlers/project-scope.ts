// Which repositories a question is about, and the plumbing the GitHub handlers share: reading each repository on its own, one sentence per failure, stale lines.
import type { PrismaClient } from "../generated/prisma/client.js";
import { isIntegrationError } from "../integrations/errors.js";
import type { GitHubClient, Repo } from "../integrations/github.js";
import type { Read } from "../integrations/stale-cache.js";
import type { Entities, Intent } from "../routing/intent.js";
import { reply, type Reply } from "../routing/router.js";
import { escapeMrkdwn } from "../slack/format.js";

export interface HandlerDeps {
  prisma: PrismaClient;
  github: GitHubClient;
}

export interface RepoScope {
  /** `owner/name`, in the order they should be answered. Empty when nothing could be resolved (then `note` says why). */
  repos: string[];
  /** A phrase for the answer: "in acme/web", "across 3 repositories". */
  scope: string;
  /** Something the answer should say about how the repositories were chosen. */
  note?: string;
}

export const DEFAULT_MAX_REPOS = 10;

/**
 * Repositories named in the message first, then the repositories of known projects named; when the
 * message names neither, every repository the token sees, the most recently pushed first, capped.
 * Throws the IntegrationError of a failed repository listing (callers answer with its sentence).
 */
export async function resolveRepos(entities: Entities, deps: Pick<HandlerDeps, "prisma" | "github">, options: { max?: number } = {}): Promise<RepoScope> {
  const max = options.max ?? DEFAULT_MAX_REPOS;
  const named = new Set(entities.repos.map((r) => r.trim()).filter(Boolean));
  const notes: string[] = [];
  if (entities.projects.length > 0) {
    const projects = await deps.prisma.project.findMany({ where: { name: { in: entities.projects } } });
    const byName = new Map(projects.map((p) => [p.name, p]));
    for (const name of entities.projects) {
      const project = byName.get(name);
      if (project?.githubRepo) named.add(project.githubRepo);
      else if (project) notes.push(`${escapeMrkdwn(name)} isn't linked to a GitHub repository yet.`);
    }
  }
  if (named.size > 0) {
    const repos = [...named];
    return { repos, scope: scopePhrase(repos), ...(notes.length > 0 ? { note: notes.join(" ") } : {}) };
  }
  if (notes.length > 0) return { repos: [], scope: "", note: notes.join(" ") };

  // Room memory goes here (the workflows issue): before falling back to every repository, use the
  // project this room is about, and when more than one could be meant, ask instead of guessing.
  const listed = await deps.github.listRepos();
  const all = byMostRecentlyPushed(listed.value);
  if (all.length === 0) return { repos: [], scope: "", note: "I can't see any GitHub repositories with the token I have." };
  const repos = all.slice(0, max).map((r) => r.fullName);
  const note = all.length > max ? `I looked at the ${max} most recently active of ${all.length} repositories.` : undefined;
  return { repos, scope: scopePhrase(repos), ...(note ? { note } : {}) };
}

/** The repositories to answer for, or the reply when there are none: the listing failed (its sentence), or nothing named resolved (the note). */
export async function scopeOrReply(intent: Intent, deps: HandlerDeps, options: { max?: number } = {}): Promise<RepoScope | Reply> {
  try {
    const scoped = await resolveRepos(intent.entities, deps, options);
    return scoped.repos.length > 0 ? scoped : reply(scoped.note ?? "I don't know which repository you mean.");
  } catch (err) {
    if (!isIntegrationError(err)) throw err;
    return reply(err.userMessage);
  }
}

export function scopePhrase(repos: string[]): string {
  return repos.length === 1 ? `in ${repos[0]}` : `across ${repos.length} repositories`;
}

/** GitHub sorts by push already; sorting again keeps the cap right whatever order the listing came in. Stable, so ties keep GitHub's order. */
function byMostRecentlyPushed(repos: Repo[]): Repo[] {
  const at = (r: Repo) => (r.pushedAt ? Date.parse(r.pushedAt) : Number.NEGATIVE_INFINITY);
  return [...repos].sort((a, b) => at(b) - at(a));
}

/** One repository's answer: what was read (maybe stale), or the sentence saying why it couldn't be. */
export type RepoResult<T> =
  | { repo: string; ok: true; value: T; staleAsOf?: Date }
  /** `serviceWide`: the failure is GitHub's (down, slow, rate-limiting, not connected, bad token), not this repository's. */
  | { repo: string; ok: false; sentence: string; serviceWide: boolean };

/**
 * Reads every repository in parallel; each answers for itself. An integration error becomes that
 * repository's sentence; anything else is a bug and fails the whole answer, so it is seen.
 */
export async function readEach<T>(repos: string[], read: (repo: string) => Promise<Read<T>>): Promise<Array<RepoResult<T>>> {
  return Promise.all(
    repos.map(async (repo): Promise<RepoResult<T>> => {
      try {
        const r = await read(repo);
        return r.stale ? { repo, ok: true, value: r.value, staleAsOf: r.asOf } : { repo, ok: true, value: r.value };
      } catch (err) {
        if (!isIntegrationError(err)) throw err;
        const serviceWide = err.countsAsServiceFailure || SERVICE_WIDE.has((err as { code?: string }).code ?? "");
        return { repo, ok: false, sentence: err.userMessage, serviceWide };
      }
    }),
  );
}

const SERVICE_WIDE = new Set(["RATE_LIMITED", "NOT_CONFIGURED", "AUTHENTICATION_FAILED"]);

/** Several reads of one repository as one: stale when any is, as of the oldest. */
export function together<T>(reads: Array<Read<unknown>>, value: T): Read<T> {
  const stale = reads.filter((r): r is Extract<Read<unknown>, { stale: true }> => r.stale);
  if (stale.length === 0) return { value, stale: false };
  const oldest = stale.reduce((a, b) => (a.asOf <= b.asOf ? a : b));
  return { value, stale: true, asOf: oldest.asOf, error: oldest.error };
}

/**
 * The whole answer when no repository could be read and they all failed the same way, or all for
 * GitHub's own reasons (down, not connected): one sentence. Parallel reads of a failing GitHub get
 * different sentences (the 503's, then the open breaker's), so "the same" can't mean the same words;
 * the first repository's stands for all. Otherwise undefined, and the failures go in `failureLines`.
 */
export function allFailedSentence<T>(results: Array<RepoResult<T>>): string | undefined {
  const failed = results.flatMap((r) => (r.ok ? [] : [r]));
  if (failed.length === 0 || failed.length < results.length) return undefined;
  if (new Set(failed.map((r) => r.sentence)).size === 1 || failed.every((r) => r.serviceWide)) return failed[0]!.sentence;
  return undefined;
}

/** One line per repository that couldn't be read. */
export function failureLines<T>(results: Array<RepoResult<T>>): string[] {
  return results.flatMap((r) => (r.ok ? [] : [`_${escapeMrkdwn(r.repo)}: ${r.sentence}_`]));
}

/** The stale line for the answer, as of the oldest stale read, or nothing when everything is fresh. */
export function staleLines<T>(results: Array<RepoResult<T>>): string[] {
  const asOf = results.flatMap((r) => (r.ok && r.staleAsOf ? [r.staleAsOf] : []));
  if (asOf.length === 0) return [];
  const oldest = asOf.reduce((a, b) => (a <= b ? a : b));
  return [staleLine("GitHub", oldest)];
}

export function staleLine(service: string, asOf: Date): string {
  return `_${service} isn't answering right now; this is what I saw at ${asOf.toISOString().slice(11, 16)} UTC._`;
}

/** The answer's closing lines: repositories that failed, the stale line, the scope note. */
export function footer<T>(results: Array<RepoResult<T>>, note?: string): string[] {
  const lines = [...failureLines(results), ...staleLines(results)];
  if (note) lines.push(`_${note}_`);
  return lines.length > 0 ? ["", ...lines] : [];
}

/** `<url|acme/web#12 Title>` across repositories, `<url|#12 Title>` within one. */
export function itemLink(item: { url: string; number: number; title: string }, repo: string, withRepo: boolean): string {
  return `<${item.url}|${escapeMrkdwn(`${withRepo ? repo : ""}#${item.number} ${item.title}`)}>`;
}

const DAY_MS = 86_400_000;

/** Whole days between two instants, never negative. */
export function daysBetween(from: string | Date, to: Date): number {
  return Math.max(0, Math.floor((to.getTime() - new Date(from).getTime()) / DAY_MS));
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "open 12 days", "opened today". */
export function openFor(createdAt: string, now: Date): string {
  const days = daysBetween(createdAt, now);
  return days === 0 ? "opened today" : `open ${plural(days, "day")}`;
}

/** Labels that mark work as blocked or blocking: `blocked`, `blocker`, and prefixed forms like `status: blocked`, `release-blocker`. */
export function blockerLabel(labels: string[]): string | undefined {
  return labels.find((l) => /(^|[\s:/_-])(blocked|blocker)$/i.test(l.trim()));
}
