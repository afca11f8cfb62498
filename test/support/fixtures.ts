// Loads a real-shaped Slack payload from test/fixtures and fills its {{PLACEHOLDERS}}.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export function fixture(name: string, values: Record<string, string>): Record<string, unknown> {
  const raw = readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)), "utf8");
  const filled = raw.replace(/\{\{([A-Z_]+)\}\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`fixture ${name} needs a value for ${key}`);
    return value;
  });
  return JSON.parse(filled) as Record<string, unknown>;
}

/**
 * The app_mention envelope Slack would send for a message already in #general (`ts`), hand-delivered by a
 * test (retries, signatures). `text` replaces the fixture's "help" after the mention.
 */
export function mentionEnvelope(
  slack: { teamId: string; appId: string; botUserId: string; users: { alice: string }; channels: { general: string } },
  eventId: string,
  ts: string,
  text?: string,
): Record<string, unknown> {
  const envelope = fixture("app-mention-envelope.json", {
    TEAM_ID: slack.teamId,
    APP_ID: slack.appId,
    USER_ID: slack.users.alice,
    BOT_USER_ID: slack.botUserId,
    CHANNEL_ID: slack.channels.general,
    TS: ts,
    EVENT_ID: eventId,
  });
  if (text !== undefined) {
    const event = envelope.event as { text: string; blocks?: unknown };
    event.text = `<@${slack.botUserId}> ${text}`;
    delete event.blocks;
  }
  return envelope;
}
