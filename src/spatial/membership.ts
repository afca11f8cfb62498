// Which conversations a person is in (users.conversations), so the navigator never shows someone a room they can't see.
import type { WebAPICallResult, WebClient } from "@slack/web-api";

export interface SlackCaller {
  call<T extends WebAPICallResult>(method: string, fn: (client: WebClient) => Promise<T>): Promise<T>;
}

export interface MembershipOptions {
  slack: SlackCaller;
  /** How long a person's list is trusted (default 60 s): joining a channel shows up within it. */
  ttlMs?: number;
  now?: () => number;
}

const TYPES = "public_channel,private_channel,mpim,im";
/** A person in more conversations than this is listed up to it; the rest are treated as not theirs (never shown). */
const MAX_PAGES = 10;

export class SlackMembership {
  readonly #cache = new Map<string, { at: number; rooms: Set<string> }>();
  readonly #inFlight = new Map<string, Promise<Set<string>>>();

  constructor(private readonly options: MembershipOptions) {}

  /** The channel ids `user` is a member of. Rejects when Slack can't say: callers show less, never more. */
  roomsOf(user: string): Promise<Set<string>> {
    const now = this.options.now?.() ?? Date.now();
    const cached = this.#cache.get(user);
    if (cached && now - cached.at < (this.options.ttlMs ?? 60_000)) return Promise.resolve(cached.rooms);
    const pending = this.#inFlight.get(user);
    if (pending) return pending;
    const lookup = this.#fetch(user)
      .then((rooms) => {
        this.#cache.set(user, { at: now, rooms });
        return rooms;
      })
      .finally(() => this.#inFlight.delete(user));
    this.#inFlight.set(user, lookup);
    return lookup;
  }

  async #fetch(user: string): Promise<Set<string>> {
    const rooms = new Set<string>();
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await this.options.slack.call("users.conversations", (c) => c.users.conversations({ user, types: TYPES, limit: 200, exclude_archived: true, cursor }));
      for (const channel of result.channels ?? []) if (channel.id) rooms.add(channel.id);
      cursor = result.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    return rooms;
  }
}
