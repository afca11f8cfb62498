// Team and channel names (and a channel's kind and topic) from Slack's team.info / conversations.info: cached, deduped, off the ack path.
import type { WebAPICallResult, WebClient } from "@slack/web-api";
import type { Logger } from "../logger.js";
import { roomKindFromInfo, type RoomKind, type SlackConversationFlags } from "./room-kinds.js";

/** Piper's poster (SlackPoster.call): every lookup goes through the Slack breaker and its rate-limit handling. */
export interface SlackCaller {
  call<T extends WebAPICallResult>(method: string, fn: (client: WebClient) => Promise<T>): Promise<T>;
}

export interface RoomInfo {
  /** Absent for DMs (Slack gives them no name). */
  name?: string;
  kind: RoomKind;
  /** The purpose, or the topic when there is no purpose (what a room is for changes less often). */
  topic?: string;
}

export interface SlackNamesOptions {
  slack: SlackCaller;
  logger: Logger;
  /** How long a name is trusted before the next sight asks again (default 6 h); channel_rename corrects it sooner. */
  ttlMs?: number;
  /** After a failed lookup, the next sight asks again only after this (default 5 min): a broken Slack is not hammered. */
  retryAfterMs?: number;
  /** Lookups in flight at once (default 2): names must never crowd out replies on Slack's rate limits. */
  concurrency?: number;
  /** Ids remembered; the oldest are forgotten beyond it (default 20,000). */
  maxEntries?: number;
  /**
   * Lookups started per minute (default 50: conversations.info and team.info are Slack's Tier 3). A burst
   * of rooms first seen (an install, a busy morning) is named at Slack's pace instead of costing a call
   * per message while replies compete for the same client.
   */
  perMinute?: number;
  /** Lookups that may start at once before the pace applies (default 10). */
  burst?: number;
  /** Lookups waiting for their turn; beyond it a sight is not queued — the next sight asks again (default 200). */
  maxWaiting?: number;
  now?: () => number;
}

interface Cached<T> {
  value?: T;
  /** When the value (or the failure) was learned. */
  at: number;
  failed: boolean;
  inFlight?: Promise<T | undefined>;
  /** A rename that arrived while a lookup was in flight: it wins over that lookup's (older) answer. */
  renamedTo?: string;
}

/**
 * One request in flight per id; a known value is returned from memory (a stale one is returned too,
 * and refreshed). Never throws: a lookup that fails resolves to what was known before (or undefined).
 */
export class SlackNames {
  readonly #teams = new Map<string, Cached<string>>();
  readonly #rooms = new Map<string, Cached<RoomInfo>>();
  readonly #waiting: Array<() => void> = [];
  #running = 0;
  #closed = false;
  readonly #ttlMs: number;
  readonly #retryAfterMs: number;
  readonly #concurrency: number;
  readonly #maxEntries: number;
  readonly #perMinute: number;
  readonly #burst: number;
  readonly #maxWaiting: number;
  /** Token bucket: lookups that may start now, as of #tokensAt. */
  #tokens: number;
  #tokensAt: number;
  #refill: NodeJS.Timeout | undefined;
  readonly #now: () => number;

  constructor(private readonly options: SlackNamesOptions) {
    this.#ttlMs = options.ttlMs ?? 6 * 3_600_000;
    this.#retryAfterMs = options.retryAfterMs ?? 5 * 60_000;
    this.#concurrency = options.concurrency ?? 2;
    this.#maxEntries = options.maxEntries ?? 20_000;
    this.#perMinute = options.perMinute ?? 50;
    this.#burst = options.burst ?? 10;
    this.#maxWaiting = options.maxWaiting ?? 200;
    this.#now = options.now ?? Date.now;
    this.#tokens = this.#burst;
    this.#tokensAt = this.#now();
  }

  /** True when the next `room(id)` would ask Slack (never seen, stale, or a failure old enough to retry). */
  roomNeedsLookup(channelId: string): boolean {
    return this.#needs(this.#rooms.get(channelId));
  }

  teamNeedsLookup(teamId: string): boolean {
    return this.#needs(this.#teams.get(teamId));
  }

  /** What is known now, without asking Slack. */
  peekRoom(channelId: string): RoomInfo | undefined {
    return this.#rooms.get(channelId)?.value;
  }

  peekTeam(teamId: string): string | undefined {
    return this.#teams.get(teamId)?.value;
  }

  room(channelId: string): Promise<RoomInfo | undefined> {
    return this.#lookup(this.#rooms, channelId, (info, renamedTo) => (info && renamedTo !== undefined ? { ...info, name: renamedTo } : info), async () => {
      const res = await this.options.slack.call("conversations.info", (c) => c.conversations.info({ channel: channelId }));
      const ch = (res.channel ?? {}) as SlackConversationFlags & { name?: string; topic?: { value?: string }; purpose?: { value?: string } };
      const topic = ch.purpose?.value || ch.topic?.value || undefined;
      return { kind: roomKindFromInfo(ch), ...(ch.is_im ? {} : ch.name ? { name: ch.name } : {}), ...(topic ? { topic } : {}) };
    });
  }

  team(teamId: string): Promise<string | undefined> {
    return this.#lookup(this.#teams, teamId, (name) => name, async () => {
      const res = await this.options.slack.call("team.info", (c) => c.team.info({ team: teamId }));
      return res.team?.name || undefined;
    });
  }

  /** channel_rename / group_rename: the new name is known now, and trusted for another TTL. */
  renamed(channelId: string, name: string): void {
    const known = this.#rooms.get(channelId);
    if (known?.inFlight) known.renamedTo = name;
    // The kind is unknown for a room never looked up: leave it to the lookup, which will still happen.
    if (!known?.value) return;
    this.#set(this.#rooms, channelId, { ...known, value: { ...known.value, name }, at: known.inFlight ? known.at : this.#now(), failed: false });
  }

  /** Shutdown: no new lookups start (those in flight finish; their callers should ignore late answers). */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#refill);
    for (const wake of this.#waiting.splice(0)) wake();
  }

  #needs(c: Cached<unknown> | undefined): boolean {
    if (!c) return true;
    if (c.inFlight) return false;
    return this.#now() - c.at >= (c.failed ? this.#retryAfterMs : this.#ttlMs);
  }

  #lookup<T>(cache: Map<string, Cached<T>>, id: string, withRename: (value: T | undefined, renamedTo: string | undefined) => T | undefined, ask: () => Promise<T | undefined>): Promise<T | undefined> {
    const known = cache.get(id);
    if (known?.inFlight) return known.inFlight;
    if (!this.#needs(known) || this.#closed) return Promise.resolve(known?.value);
    // Slack's pace is already spoken for: this sight is not remembered, so a later one asks again.
    if (this.#waiting.length >= this.#maxWaiting) return Promise.resolve(known?.value);
    const current = () => cache.get(id);
    const inFlight = this.#limited(ask).then(
      (answer) => {
        const value = withRename(answer, current()?.renamedTo) ?? current()?.value;
        this.#set(cache, id, { value, at: this.#now(), failed: false });
        return value;
      },
      (err: unknown) => {
        this.options.logger.debug({ err, id }, "name lookup failed; keeping what was known");
        const value = current()?.value;
        this.#set(cache, id, { value, at: this.#now(), failed: true });
        return value;
      },
    );
    this.#set(cache, id, { value: known?.value, at: known?.at ?? this.#now(), failed: known?.failed ?? false, inFlight });
    return inFlight;
  }

  async #limited<T>(fn: () => Promise<T>): Promise<T> {
    while (this.#running >= this.#concurrency || !this.#takeToken()) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
      if (this.#closed) throw new Error("names closed");
    }
    this.#running++;
    try {
      return await fn();
    } finally {
      this.#running--;
      this.#waiting.shift()?.();
    }
  }

  /** Takes a token if one is there; otherwise makes sure a waiter is woken when the next one is. */
  #takeToken(): boolean {
    const now = this.#now();
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#tokensAt) * this.#perMinute) / 60_000);
    this.#tokensAt = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return true;
    }
    if (!this.#refill) {
      const waitMs = Math.ceil(((1 - this.#tokens) * 60_000) / this.#perMinute);
      this.#refill = setTimeout(() => {
        this.#refill = undefined;
        this.#waiting.shift()?.();
      }, waitMs);
      this.#refill.unref();
    }
    return false;
  }

  #set<T>(cache: Map<string, Cached<T>>, id: string, entry: Cached<T>): void {
    cache.delete(id);
    cache.set(id, entry);
    if (cache.size > this.#maxEntries) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined && oldest !== id) cache.delete(oldest);
    }
  }
}
