// Builds Events API envelopes and slash-command payloads with Slack's shapes.
import { randomBytes } from "node:crypto";
import { IDS, type LocalChannel, type StoredMessage } from "./store.js";

export function newEventId(): string {
  return `Ev${randomBytes(5).toString("hex").toUpperCase()}`;
}

export function envelope(event: Record<string, unknown>, opts: { extShared?: boolean } = {}): Record<string, unknown> {
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
    is_ext_shared_channel: opts.extShared === true,
    event_context: `4-${randomBytes(12).toString("base64url")}`,
  };
}

const CHANNEL_TYPE: Record<LocalChannel["kind"], string> = { channel: "channel", private: "group", im: "im", mpim: "mpim" };

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

/** Slack sends channel_rename for a public channel and group_rename for a private one. */
export function renameEvent(channel: LocalChannel): Record<string, unknown> {
  return { type: channel.kind === "private" ? "group_rename" : "channel_rename", channel: { id: channel.id, name: channel.name, created: 1_700_000_000 }, event_ts: `${Date.now() / 1000}` };
}

export function appHomeOpenedEvent(user: string, dm: string): Record<string, unknown> {
  return { type: "app_home_opened", user, channel: dm, tab: "home", event_ts: `${Date.now() / 1000}` };
}

export function slashCommandPayload(input: { command: string; text: string; channel: LocalChannel; user: string; userName: string; responseUrl: string; triggerId: string }): Record<string, string> {
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
    trigger_id: input.triggerId,
  };
}

/** An interactive element found in a message's blocks: what a click on it sends as its action. */
export interface ClickedElement {
  block_id: string;
  action: Record<string, unknown>;
}

/**
 * Finds the clickable element `actionId` in a message's blocks — a `button` in an `actions` block,
 * or one of a `feedback_buttons` pair (picked by `value`) or an `icon_button` in a `context_actions`
 * block — and builds the action Slack reports for a click on it. Undefined when there is no such element.
 */
export function findClickable(blocks: unknown[] | undefined, actionId: string, value: string | undefined, actionTs: string): ClickedElement | undefined {
  for (const [index, raw] of (blocks ?? []).entries()) {
    const block = raw as { type?: string; block_id?: string; elements?: Array<Record<string, unknown>> };
    if (block.type !== "actions" && block.type !== "context_actions") continue;
    // Slack gives every block an id when the message is posted; a stable stand-in here.
    const blockId = block.block_id ?? `b${index}`;
    for (const el of block.elements ?? []) {
      if (el.action_id !== actionId) continue;
      if (el.type === "feedback_buttons") {
        const buttons = [el.positive_button, el.negative_button] as Array<{ text: unknown; value: string } | undefined>;
        // Which of the pair was clicked is told by its value.
        const button = buttons.find((b) => b !== undefined && b.value === value);
        if (!button) continue;
        return { block_id: blockId, action: { type: "feedback_buttons", block_id: blockId, action_id: actionId, value: button.value, text: button.text, action_ts: actionTs } };
      }
      if (el.type === "button" || el.type === "icon_button") {
        if (value !== undefined && el.value !== value) continue;
        const action: Record<string, unknown> = { type: el.type, block_id: blockId, action_id: actionId, text: el.text, action_ts: actionTs };
        if (el.value !== undefined) action.value = el.value;
        if (el.type === "icon_button") action.icon = el.icon;
        return { block_id: blockId, action };
      }
    }
  }
  return undefined;
}

/** The block_actions payload Slack sends when someone clicks an element of a message. */
export function blockActionsPayload(input: {
  message: StoredMessage;
  channel: LocalChannel;
  user: string;
  userName: string;
  action: Record<string, unknown>;
  responseUrl: string;
  triggerId: string;
}): Record<string, unknown> {
  const { message: m, channel } = input;
  const message: Record<string, unknown> = { type: "message", user: m.user, ts: m.ts, text: m.text, team: IDS.team };
  if (m.bot_id) Object.assign(message, { bot_id: m.bot_id, app_id: IDS.app });
  if (m.blocks) message.blocks = m.blocks;
  if (m.thread_ts) message.thread_ts = m.thread_ts;
  const container: Record<string, unknown> = { type: "message", message_ts: m.ts, channel_id: m.channel, is_ephemeral: m.ephemeral === true };
  if (m.thread_ts) container.thread_ts = m.thread_ts;
  return {
    type: "block_actions",
    user: { id: input.user, username: input.userName, name: input.userName, team_id: IDS.team },
    api_app_id: IDS.app,
    token: "local-verification-token",
    container,
    trigger_id: input.triggerId,
    team: { id: IDS.team, domain: IDS.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channel.id, name: channel.kind === "im" ? "directmessage" : channel.name },
    message,
    state: { values: {} },
    response_url: input.responseUrl,
    actions: [input.action],
  };
}
