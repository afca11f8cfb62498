// A person's name for text that leaves Slack (a GitHub issue body): users.info, remembered per process.
import type { WebAPICallResult, WebClient } from "@slack/web-api";

interface SlackCaller {
  call<T extends WebAPICallResult>(method: string, fn: (client: WebClient) => Promise<T>): Promise<T>;
}

/** Names remembered at most this many at once; the oldest lookup is forgotten first. */
const MAX_REMEMBERED = 5_000;

export class PeopleNames {
  readonly #known = new Map<string, Promise<string | undefined>>();

  constructor(private readonly slack: SlackCaller) {}

  /** The display name, else the real name, else the handle; undefined when Slack can't say (never throws). */
  name(userId: string): Promise<string | undefined> {
    let known = this.#known.get(userId);
    if (!known) {
      known = this.#lookup(userId);
      this.#known.set(userId, known);
      if (this.#known.size > MAX_REMEMBERED) this.#known.delete(this.#known.keys().next().value!);
      // A failed lookup is not remembered: the next draft may find Slack answering again.
      void known.then((n) => n === undefined && this.#known.delete(userId));
    }
    return known;
  }

  async #lookup(userId: string): Promise<string | undefined> {
    try {
      const { user } = (await this.slack.call("users.info", (c) => c.users.info({ user: userId }))) as { user?: { name?: string; real_name?: string; profile?: { display_name?: string; real_name?: string } } };
      const name = user?.profile?.display_name || user?.profile?.real_name || user?.real_name || user?.name;
      return name?.trim() || undefined;
    } catch {
      return undefined;
    }
  }
}
