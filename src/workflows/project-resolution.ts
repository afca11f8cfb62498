// Which repository a workflow acts on: what the message names, else what the room is linked to, else the workspace's default. Never a guess: when it is not clear, Piper asks.
import type { Entities } from "../routing/intent.js";
import type { KnownProject } from "./projects.js";

export type ProjectResolution =
  | { kind: "resolved"; repo: string; via: "message" | "room" | "default" }
  /** More than one could be meant: ask, with these repositories as the choices. */
  | { kind: "ambiguous"; candidates: string[]; why: string }
  /** Nothing names one and there is nothing to choose from. `why` says what was missing. */
  | { kind: "missing"; why: string };

export interface ResolutionSources {
  entities: Pick<Entities, "repos" | "projects">;
  /** The repository the room is linked to (room memory). */
  roomRepo(): Promise<string | undefined>;
  /** The workspace's projects (with the default marked). */
  projects(): Promise<KnownProject[]>;
}

/** At most this many choices are offered as buttons. */
export const MAX_CANDIDATES = 5;

export async function resolveProject(sources: ResolutionSources): Promise<ProjectResolution> {
  const named = unique(sources.entities.repos);
  const projects = sources.entities.projects.length > 0 ? await sources.projects() : undefined;
  for (const name of sources.entities.projects) {
    const project = projects?.find((p) => p.name === name);
    if (project?.repo) named.push(project.repo);
    else if (project) return { kind: "missing", why: `the project ${name} isn't linked to a GitHub repository` };
  }
  const fromMessage = unique(named);
  if (fromMessage.length === 1) return { kind: "resolved", repo: fromMessage[0]!, via: "message" };
  if (fromMessage.length > 1) return { kind: "ambiguous", candidates: fromMessage.slice(0, MAX_CANDIDATES), why: "the message names more than one repository" };

  const linked = await sources.roomRepo();
  if (linked) return { kind: "resolved", repo: linked, via: "room" };

  const all = projects ?? (await sources.projects());
  const fallback = all.find((p) => p.isDefault && p.repo);
  if (fallback?.repo) return { kind: "resolved", repo: fallback.repo, via: "default" };

  const candidates = unique(all.flatMap((p) => (p.repo ? [p.repo] : [])));
  if (candidates.length > 0) return { kind: "ambiguous", candidates: candidates.slice(0, MAX_CANDIDATES), why: "this channel isn't linked to a repository and the workspace has no default" };
  return { kind: "missing", why: "this channel isn't linked to a repository and I don't know any projects yet" };
}

/** Case-insensitive, first spelling kept, in order. */
function unique(repos: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const repo of repos) {
    const key = repo.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(repo);
  }
  return out;
}
