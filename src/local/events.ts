// Builds Events API envelopes and slash-command payloads with Slack's shapes.
import { randomBytes } from "node:crypto";
import { IDS, type LocalChannel, type StoredMessage } from "./store.js";

export function newEventId(): string {
  return `Ev${randomBytes(5).toString("hex").toUpperCase()}`;
}

export function envelope(event: Record<string, unknown>): Record<string, unknown> {
  return {
    token: "local-verification-token",
    team_id: IDS.team,
    context_team_id: IDS.team,
    api_app_id: IDS.app,
    event,
    type: "event_callback",
    event_id: newEventId(),
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: IDS.team, user_id: IDS.botUser, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event_context: `4-${randomBytes(12).toString("base64url")}`,
  };
}

const CHANNEL_TYPE: Record<LocalChannel["kind"], string> = { channel: "channel", private: "group", im: "im" };

/** The `message` event Slack sends for a message (a person's, or the bot's own). */
export function messageEvent(m: StoredMessage, channel: LocalChannel): Record<string, unknown> {
  const event: Record<string, unknown> = {
    type: "message",
    channel: m.channel,
    user: m.user,
    text: m.text,
    ts: m.ts,
    event_ts: m.ts,
    channel_type: CHANNEL_TYPE[channel.kind],
    team: IDS.team,
  };
  if (m.thread_ts) event.thread_ts = m.thread_ts;
  if (m.bot_id) Object.assign(event, { bot_id: m.bot_id, app_id: IDS.app, bot_profile: { id: m.bot_id, app_id: IDS.app, name: "Piper", team_id: IDS.team } });
  else event.client_msg_id = crypto.randomUUID();
  if (m.blocks) event.blocks = m.blocks;
  return event;
}

export function appMentionEvent(m: StoredMessage): Record<string, unknown> {
  const event: Record<string, unknown> = { type: "app_mention", user: m.user, text: m.text, ts: m.ts, channel: m.channel, event_ts: m.ts, team: IDS.team, client_msg_id: crypto.randomUUID() };
  if (m.thread_ts) event.thread_ts = m.thread_ts;
  return event;
}

export function appHomeOpenedEvent(user: string, dm: string): Record<string, unknown> {
  return { type: "app_home_opened", user, channel: dm, tab: "home", event_ts: `${Date.now() / 1000}` };
}

export function slashCommandPayload(input: { command: string; text: string; channel: LocalChannel; user: string; userName: string; responseUrl: string }): Record<string, string> {
  return {
    token: "local-verification-token",
    team_id: IDS.team,
    team_domain: IDS.teamDomain,
    channel_id: input.channel.id,
    channel_name: input.channel.kind === "im" ? "directmessage" : input.channel.name,
    user_id: input.user,
    user_name: input.userName,
    command: input.command,
    text: input.text,
    api_app_id: IDS.app,
    is_enterprise_install: "false",
    response_url: input.responseUrl,
    trigger_id: `${Date.now()}.${randomBytes(4).readUInt32BE()}.${randomBytes(8).toString("hex")}`,
  };
}
