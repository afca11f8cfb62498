// Slack's 👍/👎 feedback buttons under Piper's answers: the block, what a click carries, and the vote it records.
import { randomUUID } from "node:crypto";
import type { SqlExecutor } from "../db/sql.js";

export const FEEDBACK_ACTION_ID = "piper_feedback";

export type Vote = "good" | "bad";

/**
 * A `context_actions` block holding one `feedback_buttons` element. Each button's value is the vote
 * and the id of the request the answer was for (`good:<eventId>`): that id is what links a click to
 * its ConversationTurn, whichever instance answered and whatever became of the message since.
 */
export function feedbackBlock(eventId: string): Record<string, unknown> {
  const value = (vote: Vote) => `${vote}:${eventId}`;
  return {
    type: "context_actions",
    elements: [
      {
        type: "feedback_buttons",
        action_id: FEEDBACK_ACTION_ID,
        positive_button: { text: { type: "plain_text", text: "👍" }, value: value("good"), accessibility_label: "This answer was helpful" },
        negative_button: { text: { type: "plain_text", text: "👎" }, value: value("bad"), accessibility_label: "This answer was not helpful" },
      },
    ],
  };
}

/** `good:<eventId>` / `bad:<eventId>` (or a bare vote); anything else is not a vote. */
export function parseFeedbackValue(value: string | undefined): { vote: Vote; eventId?: string } | undefined {
  if (!value) return undefined;
  const at = value.indexOf(":");
  const vote = at === -1 ? value : value.slice(0, at);
  if (vote !== "good" && vote !== "bad") return undefined;
  const eventId = at === -1 ? "" : value.slice(at + 1);
  return eventId ? { vote, eventId } : { vote };
}

export interface FeedbackClick {
  teamId: string;
  channelId: string;
  /** The answer that carried the buttons. */
  messageTs: string;
  userId: string;
  vote: Vote;
  eventId?: string;
}

export interface RecordedVote {
  /** False when this click changed an earlier vote by the same person on the same answer. */
  created: boolean;
  category: string | null;
  action: string | null;
}

export interface FeedbackVotes {
  record(click: FeedbackClick): Promise<RecordedVote>;
}

/**
 * One statement: the rated turn is looked up (room + event id) and its intent and text copied into
 * the vote, upserted on (channel, message, person) so a second click changes the vote rather than
 * adding one. If the turn is not there (yet, or its write failed) the vote is kept without them,
 * and a later click does not erase what an earlier one found.
 */
export class DatabaseFeedbackVotes implements FeedbackVotes {
  constructor(private readonly sql: SqlExecutor) {}

  async record(click: FeedbackClick): Promise<RecordedVote> {
    const { rows } = await this.sql.executeSql(UPSERT_VOTE, [click.teamId, click.channelId, click.messageTs, click.userId, click.vote, click.eventId ?? null, randomUUID()]);
    const row = rows[0] as { created: boolean; category: string | null; action: string | null };
    return { created: row.created, category: row.category, action: row.action };
  }
}

const UPSERT_VOTE = `
WITH turn AS (
  SELECT ct."userText" AS user_text,
         CASE WHEN ct.intent IS NOT NULL AND ct.intent <> '' THEN ct.intent::jsonb END AS intent
  FROM "ConversationTurn" ct
  JOIN "Room" r ON r.id = ct."roomId"
  JOIN "Territory" t ON t.id = r."territoryId"
  WHERE ct."eventId" = $6::text AND r."slackChannelId" = $2::text AND t."slackTeamId" = $1::text
  ORDER BY ct."receivedAt" DESC
  LIMIT 1
)
INSERT INTO "FeedbackVote" (id, "teamId", "channelId", "messageTs", "userId", vote, "eventId", category, action, "userText", "updatedAt")
SELECT $7::text, $1::text, $2::text, $3::text, $4::text, $5::text, $6::text,
       (SELECT intent ->> 'category' FROM turn), (SELECT intent ->> 'action' FROM turn), (SELECT user_text FROM turn), now()
ON CONFLICT ("channelId", "messageTs", "userId") DO UPDATE SET
  vote = EXCLUDED.vote,
  "eventId" = COALESCE(EXCLUDED."eventId", "FeedbackVote"."eventId"),
  category = COALESCE(EXCLUDED.category, "FeedbackVote".category),
  action = COALESCE(EXCLUDED.action, "FeedbackVote".action),
  "userText" = COALESCE(EXCLUDED."userText", "FeedbackVote"."userText"),
  "updatedAt" = now()
RETURNING (xmax = 0) AS created, category, action
`;
