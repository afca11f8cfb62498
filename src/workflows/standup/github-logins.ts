// Which Slack person a GitHub login is, as people told Piper ("I am octocat on GitHub"): one login per person per workspace, one person per login.
import type { PrismaClient } from "../../generated/prisma/client.js";

export interface ClaimedLogin {
  /** The Slack user who had this login before, when it was someone else. */
  takenFrom?: string;
  /** The login this person had before, when it was another. */
  previous?: string;
}

export class GitHubLogins {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Records `login` as `slackUserId`'s. A login belongs to one person: when someone else had it, the latest
   * claim wins (people correct typos by saying it again) and the answer says whose it was.
   */
  async claim(teamId: string, slackUserId: string, login: string): Promise<ClaimedLogin> {
    const territoryId = await this.#territory(teamId);
    return this.prisma.$transaction(async (tx) => {
      const holder = await tx.person.findFirst({ where: { territoryId, githubLogin: { equals: login, mode: "insensitive" } }, select: { slackUserId: true, id: true } });
      if (holder && holder.slackUserId !== slackUserId) await tx.person.update({ where: { id: holder.id }, data: { githubLogin: null } });
      const before = await tx.person.findUnique({ where: { territoryId_slackUserId: { territoryId, slackUserId } }, select: { githubLogin: true } });
      await tx.person.upsert({
        where: { territoryId_slackUserId: { territoryId, slackUserId } },
        create: { territoryId, slackUserId, githubLogin: login },
        update: { githubLogin: login },
      });
      const previous = before?.githubLogin && before.githubLogin.toLowerCase() !== login.toLowerCase() ? before.githubLogin : undefined;
      return { ...(holder && holder.slackUserId !== slackUserId ? { takenFrom: holder.slackUserId } : {}), ...(previous ? { previous } : {}) };
    });
  }

  /** Forgets this person's login; returns the one forgotten, if there was one. */
  async forget(teamId: string, slackUserId: string): Promise<string | undefined> {
    const person = await this.prisma.person.findFirst({ where: { territory: { slackTeamId: teamId }, slackUserId }, select: { id: true, githubLogin: true } });
    if (!person?.githubLogin) return undefined;
    await this.prisma.person.update({ where: { id: person.id }, data: { githubLogin: null } });
    return person.githubLogin;
  }

  /** Slack user ids by lower-cased GitHub login, for the logins asked about that someone claimed. */
  async slackUsersFor(teamId: string, logins: string[]): Promise<Map<string, string>> {
    if (logins.length === 0) return new Map();
    const rows = await this.prisma.person.findMany({
      where: { territory: { slackTeamId: teamId }, githubLogin: { in: [...new Set(logins)], mode: "insensitive" } },
      select: { slackUserId: true, githubLogin: true },
    });
    return new Map(rows.map((r) => [r.githubLogin!.toLowerCase(), r.slackUserId]));
  }

  async #territory(teamId: string): Promise<string> {
    const row = await this.prisma.territory.upsert({ where: { slackTeamId: teamId }, create: { slackTeamId: teamId }, update: {}, select: { id: true } });
    return row.id;
  }
}
