// `/piper focus`: the asking person's ranked list of rooms that need attention, with reasons; pins boost rooms on their own view.
import type { PrismaClient } from "../generated/prisma/client.js";
import type { Logger } from "../logger.js";
import { reply, type Reply } from "../routing/router.js";
import type { Inbound } from "../slack/inbound.js";
import { normalizeSlackText } from "../slack/message-text.js";
import { DEFAULT_ATTENTION_CONFIG, parseAttention, type AttentionConfig, type Risk } from "./attention.js";
import type { FocusCommands } from "./commands.js";
import { rankRooms, type RankedRoom } from "./navigator.js";
import type { RoomView } from "./room-store.js";

export interface FocusDeps {
  prisma: PrismaClient;
  /** Every room of a territory as the store knows it (unflushed changes included). */
  rooms: (territory: string) => Promise<RoomView[]>;
  /** The channel ids a person is in; rejects when Slack can't say. */
  membership: (user: string) => Promise<Set<string>>;
  /** Writes the store's pending rooms, so a room seen a moment ago has its row (pins refer to it). */
  persist: () => Promise<void>;
  logger: Logger;
  config?: AttentionConfig;
  now?: () => number;
  /** Rooms shown (default 10). */
  limit?: number;
}

export const RISK_ICON: Readonly<Record<Risk, string>> = { high: ":rotating_light:", medium: ":warning:", low: ":small_blue_diamond:" };

/** Below this a room has nothing worth a line: no question waiting, no urgent word, no unusual activity. */
const WORTH_SHOWING = 0.5;

export class Focus implements FocusCommands {
  constructor(private readonly deps: FocusDeps) {}

  async focus(inbound: Inbound, text: string): Promise<Reply> {
    const words = text.trim().toLowerCase().split(/\s+/);
    const rest = words[0] === "focus" ? words.slice(1) : [];
    if (rest[0] === "clear") return this.#clear(inbound);
    const named = normalizeSlackText(inbound.text).rooms[0] ?? (rest[0]?.startsWith("#") ? { id: undefined, name: rest[0].slice(1) } : undefined);
    if (named) return this.#pin(inbound, named);
    return this.#list(inbound);
  }

  /** The ranked list. In a channel's thread (everyone reads it) only public channels are listed; privately, everything the person is in. */
  async ranked(inbound: Pick<Inbound, "territory" | "user" | "source" | "room">): Promise<{ rooms: RankedRoom[]; publicOnly: boolean; membershipKnown: boolean }> {
    const [views, member, pins] = await Promise.all([
      this.deps.rooms(inbound.territory),
      this.deps.membership(inbound.user).catch((err: unknown) => {
        this.deps.logger.warn({ err }, "could not read which conversations the person is in; showing public channels only");
        return undefined;
      }),
      this.#pins(inbound.territory, inbound.user),
    ]);
    const publicOnly = member === undefined || (inbound.source === "mention" && inbound.room.kind !== "dm");
    const visible = views.filter((v) => (publicOnly ? v.kind === "channel" : true) && (member ? member.has(v.room) : true) && v.kind !== "dm");
    const now = this.deps.now?.() ?? Date.now();
    const ranked = rankRooms(
      visible.map((v) => ({ id: v.room, territoryId: v.territory, name: v.name, state: parseAttention(v.state) })),
      now,
      { config: this.deps.config ?? DEFAULT_ATTENTION_CONFIG, pins, limit: this.deps.limit ?? 10 },
    );
    return { rooms: ranked.filter((r) => r.pinned || r.score >= WORTH_SHOWING || r.risk !== "low"), publicOnly, membershipKnown: member !== undefined };
  }

  /**
   * The Home tab's map for one person (only they see their Home tab, so private rooms they're in are
   * shown): the workspace, then its rooms by attention with risk and reasons, as of the moment it opened.
   */
  async homeSection(viewer: { team: string; user: string }): Promise<{ title: string; mrkdwn: string }> {
    const { rooms, membershipKnown } = await this.ranked({ territory: viewer.team, user: viewer.user, source: "dm", room: { id: "", kind: "dm" } });
    const territory = await this.deps.prisma.territory.findUnique({ where: { slackTeamId: viewer.team }, select: { name: true } });
    const heading = `_${territory?.name ?? "This workspace"}_ · as of ${new Date(this.deps.now?.() ?? Date.now()).toISOString().slice(11, 16)} UTC`;
    const body = rooms.length === 0 ? "Nothing needs your attention right now." : focusLines(rooms).join("\n");
    const note = membershipKnown ? "" : "\n_I couldn't check which channels you're in, so this shows public channels only._";
    return { title: "Where attention is needed", mrkdwn: `${heading}\n${body}${note}` };
  }

  async #list(inbound: Inbound): Promise<Reply> {
    const { rooms, publicOnly, membershipKnown } = await this.ranked(inbound);
    const lines = focusLines(rooms);
    const scope = !membershipKnown
      ? "_I couldn't check which channels you're in, so this lists public channels only._"
      : publicOnly
        ? "_Public channels only here, since everyone in this thread can read it — `/piper focus` or a DM with me shows your private ones too._"
        : undefined;
    if (lines.length === 0) {
      return reply(["Nothing needs your attention right now: no room you're in has questions waiting, urgent words or unusual activity.", scope].filter(Boolean).join("\n"));
    }
    return reply(["*Where attention is needed*", ...lines, "", "`/piper focus #channel` pins a channel to your list; `/piper focus clear` removes your pins.", scope].filter((l) => l !== undefined).join("\n"));
  }

  async #pin(inbound: Inbound, named: { id?: string; name?: string }): Promise<Reply> {
    const views = await this.deps.rooms(inbound.territory);
    const view = views.find((v) => (named.id ? v.room === named.id : v.name?.toLowerCase() === named.name?.toLowerCase()));
    const member = await this.deps.membership(inbound.user).catch(() => undefined);
    // Never confirm or deny a room the person can't see: same answer as a room Piper doesn't know.
    if (!view || !member?.has(view.room)) {
      return reply(`I don't know ${named.id ? `<#${named.id}>` : `#${named.name}`} yet — I only know channels I'm in and have seen messages in, and that you're a member of.`);
    }
    let room = await this.#roomRow(inbound.territory, view.room);
    if (!room) {
      await this.deps.persist();
      room = await this.#roomRow(inbound.territory, view.room);
    }
    if (!room) return reply(`I've only just seen <#${view.room}>; try again in a moment.`);
    await this.deps.prisma.focusPin.upsert({ where: { roomId_slackUserId: { roomId: room.id, slackUserId: inbound.user } }, create: { roomId: room.id, slackUserId: inbound.user }, update: {} });
    return reply(`📌 Pinned <#${view.room}> to the top of your focus list. \`/piper focus clear\` removes your pins.`);
  }

  #roomRow(territory: string, channel: string) {
    return this.deps.prisma.room.findFirst({ where: { slackChannelId: channel, territory: { slackTeamId: territory } }, select: { id: true } });
  }

  async #clear(inbound: Inbound): Promise<Reply> {
    const { count } = await this.deps.prisma.focusPin.deleteMany({ where: { slackUserId: inbound.user, room: { territory: { slackTeamId: inbound.territory } } } });
    return reply(count === 0 ? "You had no pins." : `Removed your ${count === 1 ? "pin" : `${count} pins`}.`);
  }

  async #pins(territory: string, user: string): Promise<Set<string>> {
    const rows = await this.deps.prisma.focusPin.findMany({ where: { slackUserId: user, room: { territory: { slackTeamId: territory } } }, select: { room: { select: { slackChannelId: true } } } });
    return new Set(rows.map((r) => r.room.slackChannelId));
  }
}

/** One line per room: link (never a ping), risk, pin, and the reasons in words. */
export function focusLines(rooms: RankedRoom[]): string[] {
  return rooms.map((r, i) => `${i + 1}. <#${r.id}> ${RISK_ICON[r.risk]} ${r.risk}${r.pinned ? " · 📌 pinned" : ""}${r.reasons.length ? ` — ${r.reasons.join("; ")}` : ""}`);
}
