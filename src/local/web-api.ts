// The Slack Web API methods Piper calls, with Slack's shapes: HTTP 200 + {ok:false,error} for errors.
import { checkMessageLimits } from "./limits.js";
import { modalProblems, storedModal, type TriggerIds } from "./modals.js";
import { IDS, PEOPLE, type MessageMetadata, type StoredMessage, type WorkspaceStore } from "./store.js";

export type Args = Record<string, unknown>;
export type ApiResult = Record<string, unknown> & { ok: boolean };

export interface WebApiContext {
  store: WorkspaceStore;
  /** Delivers the message event Slack sends for a message the bot posted (Bolt ignores its own). */
  onBotMessage(message: StoredMessage): void;
  socketUrl(): string;
  /** Refuse messages over Slack's size and block limits (off unless a test turns it on). */
  enforceLimits?: boolean;
  /** The trigger_ids handed out with interactions: views.open exchanges one. */
  triggers: TriggerIds;
}

const fail = (error: string, extra: Args = {}): ApiResult => ({ ok: false, error, ...extra });
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

function toMessage(m: StoredMessage, store: WorkspaceStore, withMetadata = true): Args {
  const out: Args = { type: "message", ts: m.ts, text: m.text, user: m.user, team: IDS.team };
  if (m.metadata && withMetadata) out.metadata = m.metadata;
  if (m.bot_id) Object.assign(out, { bot_id: m.bot_id, app_id: IDS.app });
  if (m.blocks) out.blocks = m.blocks;
  if (m.thread_ts) out.thread_ts = m.thread_ts;
  if (m.edited) out.edited = m.edited;
  const replies = store.replyCount(m.channel, m.ts);
  if (replies > 0) Object.assign(out, { thread_ts: m.ts, reply_count: replies });
  return out;
}

function channelInfo(store: WorkspaceStore, id: string): Args | undefined {
  const c = store.channels.get(id);
  if (!c) return undefined;
  const about = (value: string | undefined) => ({ value: value ?? "", creator: value ? IDS.alice : "", last_set: value ? 1_700_000_000 : 0 });
  const info: Args = {
    id: c.id,
    name: c.kind === "im" ? undefined : c.name,
    is_channel: c.kind === "channel",
    is_group: c.kind === "private" || c.kind === "mpim",
    is_im: c.kind === "im",
    is_mpim: c.kind === "mpim",
    is_private: c.kind !== "channel",
    is_shared: c.shared === true,
    is_ext_shared: c.shared === true,
    is_org_shared: false,
    is_pending_ext_shared: false,
    is_member: store.isPiperIn(c.id),
    is_archived: false,
    user: c.user,
    created: 1_700_000_000,
  };
  // Slack gives DMs no topic or purpose; a group DM's purpose names its members.
  if (c.kind !== "im") Object.assign(info, { topic: about(c.topic), purpose: about(c.purpose ?? (c.kind === "mpim" ? `Group messaging with: ${(c.members ?? []).map((u) => `@${PEOPLE[u]?.name ?? u}`).join(" ")}` : undefined)) });
  if (c.kind === "mpim") info.num_members = c.members?.length ?? 0;
  return info;
}

type Method = (args: Args, ctx: WebApiContext) => ApiResult;

/** Slack's answer when Piper may not write to or read a channel: public channels say so, private ones stay hidden. */
function unreachable(channel: string | undefined, ctx: WebApiContext): ApiResult | undefined {
  if (!channel || !ctx.store.channels.has(channel)) return fail("channel_not_found");
  if (ctx.store.isPiperIn(channel)) return undefined;
  return fail(ctx.store.channels.get(channel)!.kind === "channel" ? "not_in_channel" : "channel_not_found");
}

/** Event metadata as Slack accepts it: { event_type, event_payload }; anything else is invalid_metadata_format. */
function metadataArg(value: unknown): MessageMetadata | undefined | "invalid" {
  if (value === undefined || value === "") return undefined;
  const m = value as Partial<MessageMetadata> | null;
  if (typeof m !== "object" || m === null || typeof m.event_type !== "string" || typeof m.event_payload !== "object" || m.event_payload === null) return "invalid";
  return { event_type: m.event_type, event_payload: m.event_payload };
}

const flag = (v: unknown): boolean => v === true || v === "true" || v === "1" || v === 1;

function post(args: Args, ctx: WebApiContext, extra: Partial<StoredMessage> = {}): ApiResult {
  const channel = str(args.channel);
  const refused = unreachable(channel, ctx);
  if (refused || !channel) return refused ?? fail("channel_not_found");
  const text = typeof args.text === "string" ? args.text : "";
  const blocks = Array.isArray(args.blocks) ? args.blocks : undefined;
  if (!text && !blocks && extra.streaming === undefined) return fail("no_text");
  const overLimit = ctx.enforceLimits ? checkMessageLimits(text, blocks) : undefined;
  if (overLimit) return { ok: false, ...overLimit };
  const metadata = metadataArg(args.metadata);
  if (metadata === "invalid") return fail("invalid_metadata_format");
  const message = ctx.store.add({ channel, ts: ctx.store.nextTs(), thread_ts: str(args.thread_ts), user: IDS.botUser, bot_id: IDS.bot, text, blocks, ...(metadata ? { metadata } : {}), ...extra });
  ctx.onBotMessage(message);
  return { ok: true, channel, ts: message.ts, message: toMessage(message, ctx.store) };
}

function botMessage(args: Args, ctx: WebApiContext): StoredMessage | ApiResult {
  const channel = str(args.channel);
  const refused = unreachable(channel, ctx);
  if (refused || !channel) return refused ?? fail("channel_not_found");
  const m = ctx.store.find(channel, str(args.ts) ?? "");
  // Deleted and ephemeral messages are hidden from everyone's history, and Slack will not edit them either.
  if (!m || m.ephemeral) return fail("message_not_found");
  if (m.bot_id !== IDS.bot) return fail("cant_update_message");
  return m;
}

const isResult = (v: StoredMessage | ApiResult): v is ApiResult => "ok" in v;

function userJson(id: string, p: (typeof PEOPLE)[string]) {
  return { id, team_id: IDS.team, name: p.name, real_name: p.realName, tz: p.tz, is_bot: id === IDS.botUser, profile: { display_name: p.name, real_name: p.realName, ...(p.email ? { email: p.email } : {}) } };
}

export const METHODS: Record<string, Method> = {
  "api.test": (args) => ({ ok: true, args }),
  "auth.test": () => ({ ok: true, url: `https://${IDS.teamDomain}.slack.com/`, team: "Piper Local", user: "piper", team_id: IDS.team, user_id: IDS.botUser, bot_id: IDS.bot, is_enterprise_install: false }),
  "chat.postMessage": (args, ctx) => post(args, ctx),
  // Slack's format: the team's URL, archives/<channel>/p<ts without the dot>, and thread_ts/cid for a reply.
  "chat.getPermalink": (args, ctx) => {
    const channel = str(args.channel);
    const ts = str(args.message_ts);
    if (!channel || !ctx.store.channels.has(channel)) return fail("channel_not_found");
    const m = ts ? ctx.store.find(channel, ts) : undefined;
    if (!m || m.ephemeral) return fail("message_not_found");
    const base = `https://${IDS.teamDomain}.slack.com/archives/${channel}/p${m.ts.replace(".", "")}`;
    return { ok: true, channel, permalink: m.thread_ts && m.thread_ts !== m.ts ? `${base}?thread_ts=${m.thread_ts}&cid=${channel}` : base };
  },
  "chat.update": (args, ctx) => {
    const m = botMessage(args, ctx);
    if (isResult(m)) return m;
    const overLimit = ctx.enforceLimits ? checkMessageLimits(typeof args.text === "string" ? args.text : m.text, Array.isArray(args.blocks) ? args.blocks : undefined) : undefined;
    if (overLimit) return { ok: false, ...overLimit };
    const metadata = metadataArg(args.metadata);
    if (metadata === "invalid") return fail("invalid_metadata_format");
    if (metadata) m.metadata = metadata;
    if (typeof args.text === "string") m.text = args.text;
    if (Array.isArray(args.blocks)) m.blocks = args.blocks.length > 0 ? args.blocks : undefined;
    m.edited = { user: IDS.botUser, ts: ctx.store.nextTs() };
    ctx.store.changed(m.channel);
    return { ok: true, channel: m.channel, ts: m.ts, text: m.text, message: toMessage(m, ctx.store) };
  },
  "chat.delete": (args, ctx) => {
    const m = botMessage(args, ctx);
    if (isResult(m)) return m;
    m.text = "";
    m.blocks = undefined;
    m.ephemeral = true; // hidden from everyone
    ctx.store.changed(m.channel);
    return { ok: true, channel: m.channel, ts: m.ts };
  },
  "chat.postEphemeral": (args, ctx) => {
    const channel = str(args.channel);
    const user = str(args.user);
    const refused = unreachable(channel, ctx);
    if (refused || !channel) return refused ?? fail("channel_not_found");
    if (!user || !PEOPLE[user]) return fail("user_not_in_channel");
    const m = ctx.store.add({ channel, ts: ctx.store.nextTs(), thread_ts: str(args.thread_ts), bot_id: IDS.bot, user: IDS.botUser, text: String(args.text ?? ""), blocks: args.blocks as unknown[] | undefined, ephemeral: true, for_user: user });
    return { ok: true, message_ts: m.ts };
  },
  "chat.startStream": (args, ctx) => {
    const channel = str(args.channel);
    if (!channel || !ctx.store.channels.has(channel)) return fail("channel_not_found");
    if (!str(args.thread_ts)) return fail("invalid_arguments", { response_metadata: { messages: ["[ERROR] missing required field: thread_ts"] } });
    const isDm = ctx.store.channels.get(channel)!.kind === "im";
    if (!isDm && (!str(args.recipient_user_id) || !str(args.recipient_team_id))) return fail("missing_recipient_user_id");
    return post({ ...args, text: String(args.markdown_text ?? "") }, ctx, { streaming: true });
  },
  "chat.appendStream": (args, ctx) => {
    const m = botMessage(args, ctx);
    if (isResult(m)) return m;
    if (!m.streaming) return fail("message_not_in_streaming_state");
    if (typeof args.markdown_text !== "string") return fail("invalid_arguments");
    m.text += args.markdown_text;
    ctx.store.changed(m.channel);
    return { ok: true, channel: m.channel, ts: m.ts };
  },
  "chat.stopStream": (args, ctx) => {
    const m = botMessage(args, ctx);
    if (isResult(m)) return m;
    if (!m.streaming) return fail("message_not_in_streaming_state");
    if (typeof args.markdown_text === "string") m.text += args.markdown_text;
    if (Array.isArray(args.blocks)) m.blocks = args.blocks;
    const metadata = metadataArg(args.metadata);
    if (metadata && metadata !== "invalid") m.metadata = metadata;
    m.streaming = false;
    ctx.store.changed(m.channel);
    return { ok: true, channel: m.channel, ts: m.ts, message: toMessage(m, ctx.store) };
  },
  "team.info": (args) => {
    const team = str(args.team);
    if (team && team !== IDS.team) return fail("team_not_found");
    return { ok: true, team: { id: IDS.team, name: "Piper Local", url: `https://${IDS.teamDomain}.slack.com/`, domain: IDS.teamDomain, email_domain: "", icon: { image_default: true }, is_verified: false } };
  },
  "conversations.info": (args, ctx) => {
    const info = channelInfo(ctx.store, str(args.channel) ?? "");
    return info ? { ok: true, channel: info } : fail("channel_not_found");
  },
  "users.conversations": (args, ctx) => {
    const user = str(args.user);
    if (!user) return fail("invalid_arguments");
    const types = new Set((str(args.types) ?? "public_channel").split(","));
    const kinds: Record<string, string> = { channel: "public_channel", private: "private_channel", mpim: "mpim", im: "im" };
    const channels = ctx.store.conversationsOf(user).filter((c) => types.has(kinds[c.kind]!)).map((c) => channelInfo(ctx.store, c.id));
    return { ok: true, channels, response_metadata: { next_cursor: "" } };
  },
  "conversations.list": (_args, ctx) => ({
    ok: true,
    channels: [...ctx.store.channels.keys()].map((id) => channelInfo(ctx.store, id)),
    response_metadata: { next_cursor: "" },
  }),
  "conversations.history": (args, ctx) => {
    const channel = str(args.channel);
    const refused = unreachable(channel, ctx);
    if (refused || !channel) return refused ?? fail("channel_not_found");
    const limit = Math.min(Number(args.limit ?? 100) || 100, 999);
    const top = ctx.store.all(channel).filter((m) => !m.ephemeral && (!m.thread_ts || m.thread_ts === m.ts) && inWindow(m, args)).reverse();
    const withMetadata = flag(args.include_all_metadata);
    return { ok: true, messages: top.slice(0, limit).map((m) => toMessage(m, ctx.store, withMetadata)), has_more: top.length > limit, response_metadata: { next_cursor: "" } };
  },
  "conversations.replies": (args, ctx) => {
    const channel = str(args.channel);
    const refused = unreachable(channel, ctx);
    if (refused || !channel) return refused ?? fail("channel_not_found");
    const ts = str(args.ts);
    if (!ts || !ctx.store.find(channel, ts)) return fail("thread_not_found");
    const limit = Math.min(Number(args.limit ?? 1000) || 1000, 1000);
    // Slack always returns the parent first, then the replies inside oldest/latest.
    const thread = ctx.store.thread(channel, ts).filter((m) => m.ts === ts || inWindow(m, args));
    const withMetadata = flag(args.include_all_metadata);
    return { ok: true, messages: thread.slice(0, limit).map((m) => toMessage(m, ctx.store, withMetadata)), has_more: thread.length > limit, response_metadata: { next_cursor: "" } };
  },
  "conversations.open": (args, ctx) => {
    const users = (str(args.users) ?? "").split(",").filter(Boolean);
    if (users.length !== 1) return fail(users.length === 0 ? "users_list_not_supplied" : "not_implemented");
    const user = users[0]!;
    if (user === IDS.botUser) return fail("cannot_dm_bot");
    if (!PEOPLE[user]) return fail("user_not_found");
    return { ok: true, no_op: true, already_open: true, channel: { id: ctx.store.dmWith(user) } };
  },
  "users.info": (args) => {
    const id = str(args.user) ?? "";
    const p = PEOPLE[id];
    if (!p) return fail("user_not_found");
    return { ok: true, user: userJson(id, p) };
  },
  // Slack matches the address case-insensitively and answers users_not_found for anyone not in the workspace.
  "users.lookupByEmail": (args) => {
    const email = (str(args.email) ?? "").toLowerCase();
    if (!email) return fail("invalid_arguments");
    const found = Object.entries(PEOPLE).find(([, p]) => p.email?.toLowerCase() === email);
    return found ? { ok: true, user: userJson(found[0], found[1]) } : fail("users_not_found");
  },
  "views.publish": (args, ctx) => {
    const user = str(args.user_id);
    if (!user || !PEOPLE[user]) return fail("user_not_found");
    const view = args.view as { type?: string } | undefined;
    if (!view || view.type !== "home") return fail("invalid_arguments");
    ctx.store.homeViews.set(user, view);
    ctx.store.emit({ kind: "home" });
    return { ok: true, view: { id: `V${user}`, team_id: IDS.team, ...view } };
  },
  "views.open": (args, ctx) => {
    const trigger = ctx.triggers.check(args.trigger_id);
    if ("error" in trigger) return fail(trigger.error);
    // A refused view does not use the trigger up, so the app can fix the view and retry within the 3 s.
    const problems = modalProblems(args.view);
    if (problems.length > 0) return fail("invalid_arguments", { response_metadata: { messages: problems } });
    ctx.triggers.use(args.trigger_id as string);
    const view = storedModal(args.view as Args);
    ctx.store.setModal(trigger.user, view);
    return { ok: true, view };
  },
  "views.update": (args, ctx) => {
    const found = ctx.store.modalById({ viewId: str(args.view_id), externalId: str(args.external_id) });
    if (!found) return fail("not_found");
    // The hash guards against an update based on a view that changed since the app last saw it.
    if (str(args.hash) !== undefined && args.hash !== found.view.hash) return fail("hash_conflict");
    const problems = modalProblems(args.view);
    if (problems.length > 0) return fail("invalid_arguments", { response_metadata: { messages: problems } });
    const view = storedModal(args.view as Args, found.view);
    ctx.store.setModal(found.user, view);
    return { ok: true, view };
  },
  "reactions.add": (args, ctx) => {
    const channel = str(args.channel);
    if (!channel || !ctx.store.channels.has(channel)) return fail("channel_not_found");
    if (!ctx.store.find(channel, str(args.timestamp) ?? "")) return fail("message_not_found");
    if (!str(args.name)) return fail("invalid_name");
    return { ok: true };
  },
  "assistant.threads.setStatus": (args, ctx) => threadCall(args, ctx),
  "assistant.threads.setSuggestedPrompts": (args, ctx) => (Array.isArray(args.prompts) ? threadCall(args, ctx) : fail("invalid_arguments")),
  "assistant.threads.setTitle": (args, ctx) => threadCall(args, ctx),
};

/** Slack's oldest/latest/inclusive window on history and replies (timestamps compare as numbers). */
function inWindow(m: StoredMessage, args: Args): boolean {
  const inclusive = flag(args.inclusive);
  const ts = Number(m.ts);
  const oldest = str(args.oldest);
  const latest = str(args.latest);
  if (oldest !== undefined && (inclusive ? ts < Number(oldest) : ts <= Number(oldest))) return false;
  if (latest !== undefined && (inclusive ? ts > Number(latest) : ts >= Number(latest))) return false;
  return true;
}

function threadCall(args: Args, ctx: WebApiContext): ApiResult {
  const channel = str(args.channel_id);
  if (!channel || !ctx.store.channels.has(channel)) return fail("channel_not_found");
  if (!str(args.thread_ts)) return fail("invalid_arguments");
  return { ok: true };
}
