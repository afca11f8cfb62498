// PORTFOLIO: the projects Piper knows, and the GitHub repositories and Notion databases and pages it can see.
import type { PrismaClient } from "../generated/prisma/client.js";
import { isIntegrationError } from "../integrations/errors.js";
import type { GitHubClient, Repo } from "../integrations/github.js";
import type { NotionClient, NotionSearchHit } from "../integrations/notion.js";
import type { Read } from "../integrations/stale-cache.js";
import { escapeMrkdwn } from "../slack/format.js";

export interface ProjectsDeps {
  prisma: PrismaClient;
  github: GitHubClient;
  notion: NotionClient;
}

const SHOWN = 25;

/** What a service's section says instead of a list when the service can't answer. */
interface Unavailable {
  sentence: string;
}

/** Each service answers for its own section: one that is down or not connected says so in a sentence, and the others still list. */
export async function listProjects(deps: ProjectsDeps): Promise<string> {
  const [projects, repos, notion] = await Promise.all([
    deps.prisma.project.findMany({ orderBy: { name: "asc" } }),
    settle(deps.github.listRepos()),
    settle(notionSpaces(deps.notion)),
  ]);
  const sections: string[][] = [];
  if (projects.length > 0) {
    sections.push(["*Projects*", ...projects.map((p) => `• *${escapeMrkdwn(p.name)}*${p.githubRepo ? ` — GitHub \`${p.githubRepo}\`` : ""}${p.notionTarget ? " · Notion linked" : ""}`)]);
  }
  sections.push(githubSection(repos));
  sections.push(notionSection(notion));
  return sections.map((lines) => lines.join("\n")).join("\n\n").trim();
}

function githubSection(repos: Read<Repo[]> | Unavailable): string[] {
  if ("sentence" in repos) return [`_${repos.sentence}_`];
  if (repos.value.length === 0) return ["I can't see any GitHub repositories with the token I have."];
  const lines = [`*GitHub repositories* (${repos.value.length})`];
  for (const r of repos.value.slice(0, SHOWN)) {
    const open = r.openIssues === 1 ? "1 open issue" : `${r.openIssues} open issues`;
    lines.push(`• <${r.url}|${escapeMrkdwn(r.fullName)}>${r.description ? ` — ${escapeMrkdwn(r.description)}` : ""} · ${open}`);
  }
  if (repos.value.length > SHOWN) lines.push(`…and ${repos.value.length - SHOWN} more.`);
  if (repos.stale) lines.push("", staleLine("GitHub", repos.asOf));
  return lines;
}

function notionSection(spaces: Read<NotionSearchHit[]> | Unavailable): string[] {
  if ("sentence" in spaces) return [`_${spaces.sentence}_`];
  if (spaces.value.length === 0) return ["_I can't see any Notion databases or pages — share them with Piper's integration in Notion and they'll show up here._"];
  const lines = [`*Notion databases and pages* (${spaces.value.length})`];
  for (const s of spaces.value.slice(0, SHOWN)) {
    lines.push(`• <${s.url}|${escapeMrkdwn(s.title)}> — ${s.object === "data_source" ? "database" : "page"}`);
  }
  if (spaces.value.length > SHOWN) lines.push(`…and ${spaces.value.length - SHOWN} more.`);
  if (spaces.stale) lines.push("", staleLine("Notion", spaces.asOf));
  return lines;
}

/**
 * Databases first, then pages that aren't rows of a database (rows are items, not projects).
 * One search after the other, so a Notion that is down costs its breaker one failure per ask, not two.
 */
async function notionSpaces(notion: NotionClient): Promise<Read<NotionSearchHit[]>> {
  const databases = await notion.search({ filter: { property: "object", value: "data_source" } });
  const pages = await notion.search({ filter: { property: "object", value: "page" } });
  const value = [...databases.value, ...pages.value.filter((p) => p.parentType !== "data_source_id" && p.parentType !== "database_id")];
  const stale = [databases, pages].filter((r) => r.stale);
  if (stale.length === 0) return { value, stale: false };
  const oldest = stale.reduce((a, b) => (a.asOf <= b.asOf ? a : b));
  return { value, stale: true, asOf: oldest.asOf, error: oldest.error };
}

/**
 * A service's failure becomes its section's one sentence (its userMessage); only a bug — an error
 * that isn't an integration error — still fails the whole answer, so it is seen rather than hidden.
 */
async function settle<T>(read: Promise<Read<T>>): Promise<Read<T> | Unavailable> {
  try {
    return await read;
  } catch (err) {
    if (!isIntegrationError(err)) throw err;
    return { sentence: err.code === "NOT_CONFIGURED" && err.service === "notion" ? NOTION_NOT_CONNECTED : err.userMessage };
  }
}

// Said in the projects list rather than the generic "isn't connected" because it explains the gap in the answer.
const NOTION_NOT_CONNECTED = "Notion isn't connected, so I can't list its databases and pages — whoever runs Piper can set NOTION_TOKEN.";

function staleLine(service: string, asOf: Date): string {
  return `_${service} isn't answering right now; this is what I saw at ${asOf.toISOString().slice(11, 16)} UTC._`;
}
