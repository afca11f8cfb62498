// The projects of a workspace: the names people use for repositories, and the workspace's default. Linking a room to a repository makes it a project.
import type { PrismaClient } from "../generated/prisma/client.js";

export interface KnownProject {
  name: string;
  repo: string | null;
  isDefault: boolean;
}

export class ProjectDirectory {
  /** `onChange`: told after this directory created a project or moved the default (caches of names drop theirs). */
  constructor(
    private readonly prisma: PrismaClient,
    private readonly onChange: () => void = () => undefined,
  ) {}

  /** The workspace's projects, and those created before projects belonged to a workspace. */
  async list(teamId: string): Promise<KnownProject[]> {
    const rows = await this.prisma.project.findMany({
      where: { OR: [{ territory: { slackTeamId: teamId } }, { territoryId: null }] },
      orderBy: { name: "asc" },
      select: { name: true, githubRepo: true, isDefault: true, territoryId: true },
    });
    return rows.map((r) => ({ name: r.name, repo: r.githubRepo, isDefault: r.isDefault && r.territoryId !== null }));
  }

  /**
   * The project for `repo` in this workspace, created when missing: named after the repository's
   * short name ("acme/web" → "web"), or its full name when another repository already has that name.
   */
  async ensureForRepo(teamId: string, repo: string): Promise<KnownProject> {
    const territory = await this.#territory(teamId);
    const existing = await this.prisma.project.findFirst({ where: { territoryId: territory, githubRepo: { equals: repo, mode: "insensitive" } } });
    if (existing) return { name: existing.name, repo: existing.githubRepo, isDefault: existing.isDefault };
    const short = repo.split("/")[1] ?? repo;
    const taken = await this.prisma.project.findUnique({ where: { territoryId_name: { territoryId: territory, name: short } } });
    const name = taken ? repo : short;
    const created = await this.prisma.project.upsert({
      where: { territoryId_name: { territoryId: territory, name } },
      create: { territoryId: territory, name, githubRepo: repo },
      update: {},
    });
    this.onChange();
    return { name: created.name, repo: created.githubRepo, isDefault: created.isDefault };
  }

  /** Makes the project for `repo` the workspace's one default (creating it when needed). */
  async setDefault(teamId: string, repo: string): Promise<{ project: KnownProject; previous?: string }> {
    const project = await this.ensureForRepo(teamId, repo);
    const territory = await this.#territory(teamId);
    const previous = await this.prisma.project.findFirst({ where: { territoryId: territory, isDefault: true }, select: { githubRepo: true, name: true } });
    await this.prisma.$transaction([
      this.prisma.project.updateMany({ where: { territoryId: territory, isDefault: true }, data: { isDefault: false } }),
      this.prisma.project.update({ where: { territoryId_name: { territoryId: territory, name: project.name } }, data: { isDefault: true } }),
    ]);
    this.onChange();
    const was = previous && previous.name !== project.name ? (previous.githubRepo ?? previous.name) : undefined;
    return { project: { ...project, isDefault: true }, ...(was ? { previous: was } : {}) };
  }

  async #territory(teamId: string): Promise<string> {
    const row = await this.prisma.territory.upsert({ where: { slackTeamId: teamId }, create: { slackTeamId: teamId }, update: {}, select: { id: true } });
    return row.id;
  }
}
