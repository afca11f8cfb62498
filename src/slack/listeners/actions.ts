// block_actions: someone clicked a button on one of Piper's messages. Acked at once; the work follows.
import type { App } from "@slack/bolt";
import { z } from "zod";
import type { Logger } from "../../logger.js";
import { FEEDBACK_ACTION_ID, parseFeedbackValue, type FeedbackVotes } from "../feedback.js";
import type { SlackPoster } from "../poster.js";
import { MAX_PART_BUTTONS, PART_ACTION_PREFIX } from "../../floor/floor.js";
import { roomKind, type Inbound } from "../inbound.js";
import type { MessageBody } from "../poster.js";
import { OFFER_QUESTIONS_ACTION_ID } from "../../spatial/offers.js";

/** The parts of a block_actions payload Piper reads (Slack sends much more). */
export const blockActionsSchema = z.object({
  type: z.literal("block_actions"),
  team: z.object({ id: z.string().min(1) }).nullable().optional(),
  user: z.object({ id: z.string().min(1), team_id: z.string().optional() }),
  /** Lets the app open a modal, within 3 seconds of the click. */
  trigger_id: z.string().optional(),
  channel: z.object({ id: z.string().min(1) }).optional(),
  container: z.object({ type: z.string(), message_ts: z.string().optional(), channel_id: z.string().optional(), is_ephemeral: z.boolean().optional() }).passthrough(),
  message: z.object({ ts: z.string().min(1), thread_ts: z.string().optional() }).passthrough().optional(),
  actions: z
    .array(z.object({ type: z.string(), action_id: z.string(), block_id: z.string().optional(), value: z.string().optional(), action_ts: z.string().optional() }).passthrough())
    .min(1),
});
export type BlockActions = z.infer<typeof blockActionsSchema>;
export type BlockActionItem = BlockActions["actions"][number];

/**
 * Work for one action id, run after the ack (Slack wants one within 3 seconds; Bolt over HTTP sends
 * it only once the listener returns, so nothing slow may be awaited in the listener itself).
 */
export type ActionHandler = (body: BlockActions, action: BlockActionItem, log: Logger) => Promise<void>;

export interface ActionsDeps {
  poster: SlackPoster;
  feedback: FeedbackVotes;
  /** Takes a request as a mention would be taken (durably, answered once): how a picked part of a compound request is asked. */
  ask: (inbound: Inbound) => Promise<void>;
  /** The open questions behind an offer's button (OfferService); absent, its clicks are acked and ignored. */
  offers?: OpenQuestions;
  /** More buttons, by action_id (the workflows' Create / Edit / Cancel, project choices…). */
  more?: Record<string, ActionHandler>;
  logger: Logger;
}

export interface OpenQuestions {
  /** What the person who clicked an offer in `channel` sees: the questions of the offer's room (`roomId`, the button's value). */
  openQuestions(roomId: string, channel: string): Promise<MessageBody>;
}

export interface RegisteredActions {
  /** Resolves once the work started by clicks so far is done (shutdown waits on it). */
  settled(): Promise<void>;
}

export const FEEDBACK_THANKS = "Thanks — noted.";

/**
 * One listener for every block action, dispatching by action_id: each action is acked exactly once
 * (two matching Bolt listeners would both ack), and ids nobody handles are acked and ignored.
 * New buttons add their handler to the table below.
 */
export function registerActions(app: App, deps: ActionsDeps): RegisteredActions {
  const handlers: Record<string, ActionHandler> = {
    [FEEDBACK_ACTION_ID]: (body, action, log) => recordFeedback(deps, body, action, log),
  };
  if (deps.offers) {
    const offers = deps.offers;
    handlers[OFFER_QUESTIONS_ACTION_ID] = (body, action, log) => showOpenQuestions(deps.poster, offers, body, action, log);
  }
  for (let i = 1; i <= MAX_PART_BUTTONS; i++) handlers[`${PART_ACTION_PREFIX}${i}`] = (body, action, log) => askPart(deps, body, action, log);
  for (const [actionId, handler] of Object.entries(deps.more ?? {})) {
    if (handlers[actionId]) throw new Error(`two handlers for the button ${actionId}`);
    handlers[actionId] = handler;
  }
  const inFlight = new Set<Promise<void>>();

  app.action({ type: "block_actions" }, async ({ body, ack }) => {
    await ack();
    const parsed = blockActionsSchema.safeParse(body);
    if (!parsed.success) {
      deps.logger.warn({ issues: parsed.error.issues.length }, "block_actions with an unexpected shape ignored");
      return;
    }
    const payload = parsed.data;
    for (const action of payload.actions) {
      const handler = handlers[action.action_id];
      if (!handler) {
        deps.logger.debug({ actionId: action.action_id }, "block action nobody handles; acked and ignored");
        continue;
      }
      const log = deps.logger.child({ actionId: action.action_id, user: payload.user.id });
      const work = handler(payload, action, log)
        .catch((err: unknown) => log.error({ err }, "block action failed"))
        .finally(() => inFlight.delete(work));
      inFlight.add(work);
    }
  });

  return {
    async settled() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}

async function recordFeedback(deps: ActionsDeps, body: BlockActions, action: BlockActionItem, log: Logger): Promise<void> {
  const parsed = parseFeedbackValue(action.value);
  const channelId = body.container.channel_id ?? body.channel?.id;
  const messageTs = body.container.message_ts ?? body.message?.ts;
  const teamId = body.team?.id ?? body.user.team_id;
  if (!parsed || !channelId || !messageTs || !teamId) {
    log.warn({ value: action.value, channelId, messageTs }, "feedback click without a vote, channel or message; ignored");
    return;
  }
  const recorded = await deps.feedback.record({ teamId, channelId, messageTs, userId: body.user.id, vote: parsed.vote, eventId: parsed.eventId });
  log.info({ vote: parsed.vote, eventId: parsed.eventId, category: recorded.category, action: recorded.action, changed: !recorded.created }, "feedback recorded");
  // In the answer's thread (a top-level DM answer has none): the thanks sits beside what was rated.
  const threadTs = body.message?.thread_ts;
  try {
    await deps.poster.call("chat.postEphemeral", (c) =>
      c.chat.postEphemeral({ channel: channelId, user: body.user.id, text: FEEDBACK_THANKS, ...(threadTs ? { thread_ts: threadTs } : {}) }),
    );
  } catch (err) {
    // The vote is stored; a missing thank-you is not worth an error.
    log.warn({ err }, "could not thank the person for their feedback");
  }
}

/**
 * A click on an offer's button (until the thread summary workflow takes it): the offer's room's open
 * questions, linked, told only to the person who clicked.
 */
async function showOpenQuestions(poster: SlackPoster, offers: OpenQuestions, body: BlockActions, action: BlockActionItem, log: Logger): Promise<void> {
  const channel = body.channel?.id ?? body.container.channel_id;
  const roomId = action.value?.trim();
  if (!channel || !roomId) {
    log.warn("offer button without a channel or room; ignored");
    return;
  }
  const list = await offers.openQuestions(roomId, channel);
  await poster.call("chat.postEphemeral", (c) => c.chat.postEphemeral({ channel, user: body.user.id, text: list.text, ...(list.blocks ? { blocks: list.blocks as never } : {}) }));
}

/**
 * A click on one part of a compound request asks Piper that part, in the same thread, as the person
 * who clicked. The request id names the message and the button, so the job id that dedupes Slack's
 * retries also makes a second click on the same part (by anyone) a no-op: one part, one answer.
 */
async function askPart(deps: ActionsDeps, body: BlockActions, action: BlockActionItem, log: Logger): Promise<void> {
  const channel = body.channel?.id ?? body.container.channel_id;
  const message = body.message;
  const text = action.value?.trim();
  if (!channel || !message || !text) {
    log.warn("part button without a channel, message or text; ignored");
    return;
  }
  await deps.ask({
    id: `part:${channel}:${message.ts}:${action.action_id}`,
    source: "mention",
    territory: body.team?.id ?? body.user.team_id ?? "unknown-team",
    room: { id: channel, kind: roomKind(channel) },
    threadTs: message.thread_ts ?? message.ts,
    user: body.user.id,
    text,
    history: [],
  });
}
