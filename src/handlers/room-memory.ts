// MEMORY remember_fact / forget: Piper's own memory of a room, written deterministically and confirmed in one sentence. No confirming click: nothing outside Piper changes.
import type { Intent } from "../routing/intent.js";
import { reply, type Reply } from "../routing/router.js";
import { escapeMrkdwn } from "../slack/format.js";
import type { Inbound } from "../slack/inbound.js";
import { memoryCommand, type MemoryCommand } from "../spatial/memory-commands.js";
import { TooManyNotesError, type RoomFact, type RoomMemoryStore } from "../spatial/memory.js";
import type { ProjectDirectory } from "../workflows/projects.js";
import type { GitHubLogins } from "../workflows/standup/github-logins.js";

export const REMEMBER_HOW =
  "Tell me in so many words and I'll keep it for this channel — for example “remember that we deploy on tuesdays”, or link a repository with “this channel is acme/web”. “forget …” removes a fact.";

export class RoomMemoryHandler {
  /**
   * `projects`: linking a room makes its repository one of the workspace's projects, and the default is set there.
   * `logins`: "I am octocat on GitHub" is remembered for the person (the standup names them by it).
   */
  constructor(
    private readonly store: RoomMemoryStore,
    private readonly projects?: ProjectDirectory,
    private readonly logins?: GitHubLogins,
  ) {}

  /** The repository this conversation is linked to, if any (project resolution's default for the room). */
  linkedRepo(inbound: Pick<Inbound, "territory" | "room">): Promise<string | undefined> {
    return this.store.linkedRepo(inbound.territory, inbound.room.id);
  }

  /** `text` is the normalized message. The intent's action decides remember vs forget when the words leave it open. */
  async handle(intent: Pick<Intent, "action">, inbound: Inbound, text: string): Promise<Reply> {
    const command = memoryCommand(text);
    if (!command) return reply(intent.action === "forget" ? `I couldn't tell what to forget. ${await this.#summary(inbound)}` : REMEMBER_HOW);
    return reply(await this.#perform(command, inbound));
  }

  async #perform(command: MemoryCommand, inbound: Inbound): Promise<string> {
    const { territory } = inbound;
    const channel = inbound.room.id;
    const here = where(inbound);
    switch (command.kind) {
      case "link": {
        const before = await this.store.linkedRepo(territory, channel);
        await this.store.linkRepo(territory, channel, command.repo, inbound.user, inbound.room.kind);
        await this.projects?.ensureForRepo(territory, command.repo);
        const was = before && before.toLowerCase() !== command.repo.toLowerCase() ? ` (it was ${before})` : "";
        return `Got it — I'll remember that ${here} is linked to ${command.repo}${was}.`;
      }
      case "default_repo": {
        if (!this.projects) return REMEMBER_HOW;
        const { previous } = await this.projects.setDefault(territory, command.repo);
        const was = previous && previous.toLowerCase() !== command.repo.toLowerCase() ? ` (it was ${previous})` : "";
        return `Got it — ${command.repo} is this workspace's default repository${was}: I'll use it when a request names none and its channel isn't linked to one.`;
      }
      case "github_login": {
        if (!this.logins) return REMEMBER_HOW;
        const claimed = await this.logins.claim(territory, inbound.user, command.login);
        const was = claimed.previous ? ` (it was ${escapeMrkdwn(claimed.previous)})` : "";
        // Named without a mention: Piper's poster defuses mentions, and a login moving is no reason to ping anyone.
        const moved = claimed.takenFrom ? " I had that login down for someone else; it's yours now." : "";
        return `Got it — you're ${escapeMrkdwn(command.login)} on GitHub${was}. Standups will show your work under your name.${moved}`;
      }
      case "forget_github_login": {
        const forgotten = await this.logins?.forget(territory, inbound.user);
        return forgotten ? `Forgot: you're no longer ${escapeMrkdwn(forgotten)} on GitHub to me.` : "I didn't have a GitHub login for you, so there was nothing to forget.";
      }
      case "remember":
        try {
          const fact = await this.store.note(territory, channel, command.fact, inbound.user, inbound.room.kind);
          return `Got it — I'll remember that for ${here}: ${quote(fact.text)}.`;
        } catch (err) {
          if (!(err instanceof TooManyNotesError)) throw err;
          return `I already remember ${err.max} things about ${here}, which is my limit — ask me to forget one first.`;
        }
      case "unlink": {
        const linked = await this.store.linkedRepo(territory, channel);
        if (!linked) return `${capitalize(here)} isn't linked to a repository, so there was nothing to forget.`;
        if (command.repo && command.repo.toLowerCase() !== linked.toLowerCase()) return `${capitalize(here)} is linked to ${linked}, not ${command.repo} — I left it as it is.`;
        await this.store.forget(territory, channel, "linked_repo");
        return `Forgot: ${here} is no longer linked to ${linked}.`;
      }
      case "forget_all": {
        const removed = await this.store.forgetAll(territory, channel);
        if (removed.length === 0) return `I wasn't remembering anything about ${here}, so there was nothing to forget.`;
        return `Forgot everything I remembered about ${here}:\n${removed.map((f) => `• ${describe(f)}`).join("\n")}`;
      }
      case "forget": {
        const result = await this.store.forget(territory, channel, command.text);
        if (result.removed.length > 0) return `Forgot: ${result.removed.map(describe).join("; ")}.`;
        if (result.ambiguous.length > 0) {
          return `More than one thing I remember matches ${quote(command.text)} — which one? Say it in its own words:\n${result.ambiguous.map((f) => `• ${describe(f)}`).join("\n")}`;
        }
        return `I don't remember anything about ${here} that matches ${quote(command.text)}. ${await this.#summary(inbound)}`;
      }
    }
  }

  /** One sentence of what is remembered here, so "nothing matched" is useful. */
  async #summary(inbound: Inbound): Promise<string> {
    const facts = (await this.store.facts(inbound.territory, inbound.room.id)).filter((f) => f.kind !== "other");
    if (facts.length === 0) return `I don't remember anything about ${where(inbound)} yet.`;
    return `What I remember here: ${facts.map(describe).join("; ")}.`;
  }
}

function describe(fact: RoomFact): string {
  return fact.kind === "linked_repo" ? `the link to ${fact.text}` : quote(fact.text);
}

function quote(text: string): string {
  return `“${escapeMrkdwn(text)}”`;
}

/** A channel link (Slack shows its name, and it never notifies), or "this conversation" in a DM. */
function where(inbound: Pick<Inbound, "room">): string {
  return inbound.room.kind === "dm" ? "this conversation" : `<#${inbound.room.id}>`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
