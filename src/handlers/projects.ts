// PORTFOLIO: the projects Piper knows and the GitHub repositories it can see.
import type { PrismaClient } from "../generated/prisma/client.js";
import { isIntegrationError } from "../integrations/errors.js";
import type { GitHubClient } from "../integrations/github.js";
import { escapeMrkdwn } from "../slack/format.js";

export async function listProjects(deps: { prisma: PrismaClient; github: GitHubClient }): Promise<string> {
  const [projects, repos] = await Promise.all([deps.prisma.project.findMany({ orderBy: { name: "asc" } }), deps.github.listRepos().catch((err: unknown) => err as Error)]);
  const lines: string[] = [];
  if (projects.length > 0) {
    lines.push("*Projects*", ...projects.map((p) => `• *${escapeMrkdwn(p.name)}*${p.githubRepo ? ` — GitHub \`${p.githubRepo}\`` : ""}${p.notionTarget ? " · Notion linked" : ""}`));
  }
  if (repos instanceof Error) {
    // Without a project list to show, the failure is the answer (the responder turns it into its sentence).
    if (projects.length === 0 || !isIntegrationError(repos)) throw repos;
    lines.push("", `_${repos.userMessage}_`);
    return lines.join("\n");
  }
  if (repos.value.length === 0) {
    lines.push("", "I can't see any GitHub repositories with the token I have.");
  } else {
    if (lines.length) lines.push("");
    lines.push(`*GitHub repositories* (${repos.value.length})`);
    for (const r of repos.value.slice(0, 25)) {
      const open = r.openIssues === 1 ? "1 open issue" : `${r.openIssues} open issues`;
      lines.push(`• <${r.url}|${escapeMrkdwn(r.fullName)}>${r.description ? ` — ${escapeMrkdwn(r.description)}` : ""} · ${open}`);
    }
    if (repos.value.length > 25) lines.push(`…and ${repos.value.length - 25} more.`);
  }
  if (repos.stale) lines.push("", `_GitHub isn't answering right now; this is what I saw at ${repos.asOf.toISOString().slice(11, 16)} UTC._`);
  return lines.join("\n").trim();
}
