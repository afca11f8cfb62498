// The emulated workspace: one team, a few people and channels, messages with threads, Home tabs, open modals.
import type { ModalView } from "./modals.js";

/** mpim: a group DM (several people and Piper, no name people chose). */
export type ChannelKind = "channel" | "private" | "im" | "mpim";

export interface LocalChannel {
  id: string;
  name: string;
  kind: ChannelKind;
  /** For DMs: the human on the other side. */
  user?: string;
  /** For group DMs and private channels: everyone in it (public channels have everybody). */
  members?: string[];
  /** Slack Connect: shared with another organisation (is_ext_shared). */
  shared?: boolean;
  topic?: string;
  purpose?: string;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  text: string;
  blocks?: unknown[];
  edited?: { user: string; ts: string };
  /** Ephemeral messages are seen by one user only and never appear in history. */
  ephemeral?: boolean;
  for_user?: string;
  /** True while a chat.startStream message is still being appended to. */
  streaming?: boolean;
  /** Slack message metadata, returned by history/replies only when include_all_metadata is set. */
  metadata?: MessageMetadata;
}

export interface MessageMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

export const IDS = {
  team: "T0LOCAL001",
  teamDomain: "piper-local",
  app: "A0PIPER001",
  botUser: "U0PIPERBOT",
  bot: "B0PIPER001",
  alice: "U0ALICE001",
  bob: "U0BOB00001",
} as const;

/** `tz` is what users.info says (Slack's IANA zone per person: people in one workspace differ); `email` what it shows
 * with the users:read.email scope (the demo GitHub organisation shares Alice's). */
export const PEOPLE: Record<string, { name: string; realName: string; tz: string; email?: string }> = {
  [IDS.alice]: { name: "alice", realName: "Alice Example", tz: "Europe/Berlin", email: "alice@acme.test" },
  [IDS.bob]: { name: "bob", realName: "Bob Example", tz: "America/New_York", email: "bob@acme.test" },
  [IDS.botUser]: { name: "piper", realName: "Piper", tz: "Europe/London" },
};

/** The part of a workspace that outlives the emulator (`persistPath`): JSON-safe. */
export interface WorkspaceSnapshot {
  version: 1;
  lastTs: number;
  createdChannels: number;
  channels: LocalChannel[];
  messages: StoredMessage[];
  homeViews: Record<string, unknown>;
}

export class WorkspaceStore {
  readonly channels = new Map<string, LocalChannel>();
  readonly homeViews = new Map<string, unknown>();
  /** The modal each person has open. Slack stacks up to 3; views.push is not emulated, so one is all there is. */
  readonly #modals = new Map<string, ModalView>();
  /** Channels Piper has not been invited to (or was removed from); every other channel has Piper in it. */
  readonly withoutPiper = new Set<string>();
  readonly #messages = new Map<string, StoredMessage[]>();
  #lastTs = 0;
  #createdChannels = 0;
  #listeners = new Set<(change: { kind: string; channel?: string }) => void>();

  constructor() {
    for (const c of [
      { id: "C0GENERAL1", name: "general", kind: "channel", purpose: "Company-wide announcements and work-based matters" },
      { id: "C0RANDOM01", name: "random", kind: "channel", topic: "Anything goes" },
      { id: "C0MOBILE01", name: "mobile", kind: "channel", purpose: "The mobile app: releases, bugs, plans" },
      // Bob is not a lead: tests check that #leads never shows up in his focus list.
      { id: "G0PRIVATE1", name: "leads", kind: "private", purpose: "Team leads only", members: [IDS.alice, IDS.botUser] },
      { id: "D0ALICE001", name: "piper", kind: "im", user: IDS.alice },
      { id: "D0BOB00001", name: "piper", kind: "im", user: IDS.bob },
      { id: "G0GROUPDM1", name: "mpdm-alice--bob--piper-1", kind: "mpim", members: [IDS.alice, IDS.bob, IDS.botUser] },
    ] as LocalChannel[]) {
      this.channels.set(c.id, c);
      this.#messages.set(c.id, []);
    }
  }

  /**
   * Adds a channel, private channel, or Slack Connect channel ("shared": public, and shared with
   * another organisation) with a fresh id (the bench spreads load over many new rooms).
   */
  createChannel(name: string, kind: "channel" | "private" | "shared" = "channel"): LocalChannel {
    const id = `${kind === "private" ? "G" : "C"}1${(++this.#createdChannels).toString(36).toUpperCase().padStart(8, "0")}`;
    const channel: LocalChannel = kind === "shared" ? { id, name, kind: "channel", shared: true } : { id, name, kind };
    this.channels.set(id, channel);
    this.#messages.set(id, []);
    this.emit({ kind: "channel", channel: id });
    return channel;
  }

  /**
   * The conversations a person is in, as users.conversations lists them: every public channel (the
   * emulated workspace has everybody in them), private channels and group DMs that list them (a
   * private channel without a member list has everybody), and their own DMs with Piper.
   */
  conversationsOf(user: string): LocalChannel[] {
    return [...this.channels.values()].filter((c) => {
      if (c.kind === "channel") return true;
      if (c.kind === "im") return c.user === user;
      return c.members === undefined || c.members.includes(user);
    });
  }

  /** Renames a channel (not a DM); returns it, or undefined when there is no such channel to rename. */
  rename(id: string, name: string): LocalChannel | undefined {
    const channel = this.channels.get(id);
    if (!channel || channel.kind === "im" || channel.kind === "mpim") return undefined;
    channel.name = name;
    this.emit({ kind: "channel", channel: id });
    return channel;
  }

  modal(user: string): ModalView | undefined {
    return this.#modals.get(user);
  }

  modalById(id: { viewId?: string; externalId?: string }): { user: string; view: ModalView } | undefined {
    for (const [user, view] of this.#modals) if (view.id === id.viewId || (id.externalId && view.external_id === id.externalId)) return { user, view };
    return undefined;
  }

  /** Opens, replaces (same id) or, with undefined, closes a person's modal. */
  setModal(user: string, view: ModalView | undefined): void {
    if (view) this.#modals.set(user, view);
    else this.#modals.delete(user);
    this.emit({ kind: "modal" });
  }

  isPiperIn(channel: string): boolean {
    return this.channels.has(channel) && !this.withoutPiper.has(channel);
  }

  dmWith(user: string): string {
    for (const c of this.channels.values()) if (c.kind === "im" && c.user === user) return c.id;
    throw new Error(`no DM with ${user}`);
  }

  /** Slack timestamps are unique per channel and increase; these increase globally. */
  nextTs(): string {
    const micros = Math.max(Date.now() * 1000, this.#lastTs + 1);
    this.#lastTs = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, "0")}`;
  }

  add(message: StoredMessage): StoredMessage {
    this.#messages.get(message.channel)?.push(message);
    this.emit({ kind: "message", channel: message.channel });
    return message;
  }

  find(channel: string, ts: string): StoredMessage | undefined {
    return this.#messages.get(channel)?.find((m) => m.ts === ts);
  }

  changed(channel: string): void {
    this.emit({ kind: "message", channel });
  }

  all(channel: string): StoredMessage[] {
    return [...(this.#messages.get(channel) ?? [])].sort((a, b) => Number(a.ts) - Number(b.ts));
  }

  /** Thread parent and replies, oldest first (what conversations.replies returns). */
  thread(channel: string, threadTs: string): StoredMessage[] {
    return this.all(channel).filter((m) => !m.ephemeral && (m.ts === threadTs || m.thread_ts === threadTs));
  }

  replyCount(channel: string, ts: string): number {
    return this.all(channel).filter((m) => !m.ephemeral && m.thread_ts === ts && m.ts !== ts).length;
  }

  /** Ephemeral messages are left out: like Slack's, they do not survive a reload. */
  snapshot(): WorkspaceSnapshot {
    return {
      version: 1,
      lastTs: this.#lastTs,
      createdChannels: this.#createdChannels,
      channels: [...this.channels.values()],
      messages: [...this.#messages.values()].flat().filter((m) => !m.ephemeral),
      homeViews: Object.fromEntries(this.homeViews),
    };
  }

  restore(snapshot: WorkspaceSnapshot): void {
    for (const c of snapshot.channels) {
      this.channels.set(c.id, c);
      if (!this.#messages.has(c.id)) this.#messages.set(c.id, []);
    }
    // A stream cut off by the restart will never be stopped now.
    for (const m of snapshot.messages) this.#messages.get(m.channel)?.push(m.streaming ? { ...m, streaming: false } : m);
    for (const [user, view] of Object.entries(snapshot.homeViews)) this.homeViews.set(user, view);
    this.#lastTs = Math.max(this.#lastTs, snapshot.lastTs);
    this.#createdChannels = Math.max(this.#createdChannels, snapshot.createdChannels);
  }

  onChange(listener: (change: { kind: string; channel?: string }) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(change: { kind: string; channel?: string }): void {
    for (const l of this.#listeners) l(change);
  }
}
