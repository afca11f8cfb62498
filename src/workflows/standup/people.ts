// GitHub login → Slack person, where Piper can tell: what the person told Piper ("I am octocat on GitHub"), else the same
// e-mail on both sides (GitHub's public e-mail, Slack's users.lookupByEmail). Anyone else stays their GitHub login.
import type { WebAPICallResult, WebClient } from "@slack/web-api";
import type { GitHubClient } from "../../integrations/github.js";
import type { Logger } from "../../logger.js";
import type { GitHubLogins } from "./github-logins.js";

/** Piper's poster (SlackPoster.call): lookups go through the Slack breaker and its rate-limit handling. */
export interface SlackCaller {
  call<T extends WebAPICallResult>(method: string, fn: (client: WebClient) => Promise<T>): Promise<T>;
}

export interface SlackPerson {
  slackUserId: string;
  /** The person's full name on Slack (real name, else display name), or undefined when Slack couldn't say. */
  name?: string;
  via: "told" | "email";
}

export interface PeopleDirectoryDeps {
  logins: GitHubLogins;
  github: GitHubClient;
  slack: () => SlackCaller | undefined;
  logger: Logger;
  /** How long a looked-up e-mail or name is trusted (default 1 h): standups repeat, profiles rarely change. */
  ttlMs?: number;
  now?: () => number;
}

interface Cached<T> {
  at: number;
  value: Promise<T>;
}

export class PeopleDirectory {
  readonly #emails = new Map<string, Cached<string | undefined>>();
  readonly #byEmail = new Map<string, Cached<{ id: string; name?: string } | undefined>>();
  readonly #names = new Map<string, Cached<string | undefined>>();

  constructor(private readonly deps: PeopleDirectoryDeps) {}

  /** The Slack person for each login Piper can place, keyed by lower-cased login. Never throws for a lookup that fails: that login stays unmapped. */
  async resolve(teamId: string, logins: string[]): Promise<Map<string, SlackPerson>> {
    const out = new Map<string, SlackPerson>();
    const told = await this.deps.logins.slackUsersFor(teamId, logins);
    await Promise.all(
      logins.map(async (login) => {
        const key = login.toLowerCase();
        const slackUserId = told.get(key);
        if (slackUserId) {
          const name = await this.#name(slackUserId);
          out.set(key, { slackUserId, ...(name ? { name } : {}), via: "told" });
          return;
        }
        const email = await this.#email(login);
        const found = email ? await this.#slackByEmail(email) : undefined;
        if (found) out.set(key, { slackUserId: found.id, ...(found.name ? { name: found.name } : {}), via: "email" });
      }),
    );
    return out;
  }

  #email(login: string): Promise<string | undefined> {
    return this.#cached(this.#emails, login.toLowerCase(), async () => {
      try {
        return (await this.deps.github.getUser(login)).value.email?.toLowerCase() ?? undefined;
      } catch (err) {
        this.deps.logger.debug({ err, login }, "could not read a GitHub user's public e-mail");
        return undefined;
      }
    });
  }

  #slackByEmail(email: string): Promise<{ id: string; name?: string } | undefined> {
    return this.#cached(this.#byEmail, email, async () => {
      const slack = this.deps.slack();
      if (!slack) return undefined;
      try {
        const found = await slack.call("users.lookupByEmail", (c) => c.users.lookupByEmail({ email }));
        const user = found.user;
        if (!user?.id || user.is_bot || user.deleted) return undefined;
        const name = user.profile?.real_name || user.real_name || user.profile?.display_name || user.name || undefined;
        return { id: user.id, ...(name ? { name } : {}) };
      } catch (err) {
        // users_not_found is the common answer (someone outside the workspace); anything else is logged quietly too.
        this.deps.logger.debug({ err }, "no Slack user for a GitHub e-mail");
        return undefined;
      }
    });
  }

  #name(slackUserId: string): Promise<string | undefined> {
    return this.#cached(this.#names, slackUserId, async () => {
      const slack = this.deps.slack();
      if (!slack) return undefined;
      try {
        const info = await slack.call("users.info", (c) => c.users.info({ user: slackUserId }));
        const u = info.user;
        return u?.profile?.real_name || u?.real_name || u?.profile?.display_name || u?.name || undefined;
      } catch (err) {
        this.deps.logger.debug({ err, slackUserId }, "could not read a Slack user's name");
        return undefined;
      }
    });
  }

  #cached<T>(map: Map<string, Cached<T>>, key: string, load: () => Promise<T>): Promise<T> {
    const now = this.deps.now?.() ?? Date.now();
    const hit = map.get(key);
    if (hit && now - hit.at < (this.deps.ttlMs ?? 3_600_000)) return hit.value;
    const value = load();
    map.set(key, { at: now, value });
    if (map.size > 5_000) map.delete(map.keys().next().value!);
    return value;
  }
}
