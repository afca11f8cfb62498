// The draft's buttons and modal, as Slack listeners: Create / Edit / Cancel, the project picker, and the Edit modal's Save.
import type { ActionHandler, BlockActionItem, BlockActions } from "../../slack/listeners/actions.js";
import { inputValue, type ViewHandler } from "../../slack/listeners/views.js";
import { roomKind, type Inbound } from "../../slack/inbound.js";
import { MAX_CANDIDATES } from "../project-resolution.js";
import type { CreateIssueWorkflow, DraftClick } from "./create-issue.js";
import { CANCEL_ACTION_ID, CREATE_ACTION_ID, EDIT_ACTION_ID, EDIT_VIEW_CALLBACK_ID, PROJECT_PICK_PREFIX } from "./draft-blocks.js";
import { z } from "zod";

export function issueActionHandlers(issues: () => CreateIssueWorkflow, ask: (inbound: Inbound) => Promise<void>): Record<string, ActionHandler> {
  const handlers: Record<string, ActionHandler> = {
    [CREATE_ACTION_ID]: async (body, action) => {
      const click = draftClick(body, action);
      if (click) await issues().create(click);
    },
    [CANCEL_ACTION_ID]: async (body, action) => {
      const click = draftClick(body, action);
      if (click) await issues().cancel(click);
    },
    [EDIT_ACTION_ID]: async (body, action) => {
      const click = draftClick(body, action);
      if (click) await issues().edit(click);
    },
  };
  for (let i = 1; i <= MAX_CANDIDATES; i++) handlers[`${PROJECT_PICK_PREFIX}${i}`] = (body, action, log) => pickProject(ask, body, action, log);
  return handlers;
}

export function issueViewHandlers(issues: () => CreateIssueWorkflow): Record<string, ViewHandler> {
  return {
    [EDIT_VIEW_CALLBACK_ID]: (submission) =>
      issues().submitEdit({
        draftId: submission.view.private_metadata,
        user: submission.user.id,
        title: inputValue(submission, "title"),
        body: inputValue(submission, "body"),
        labels: inputValue(submission, "labels"),
      }),
  };
}

function draftClick(body: BlockActions, action: BlockActionItem): DraftClick | undefined {
  const channel = body.channel?.id ?? body.container.channel_id;
  const draftId = action.value?.trim();
  if (!channel || !draftId) return undefined;
  const messageTs = body.container.message_ts ?? body.message?.ts;
  return { draftId, user: body.user.id, channel, ...(messageTs ? { messageTs } : {}), ...(body.trigger_id ? { triggerId: body.trigger_id } : {}) };
}

const pickSchema = z.object({ repo: z.string().min(3), request: z.string() });

/**
 * A repository picked for a request that named none: the request is asked again, in that repository,
 * as the person who clicked. The request id names the message and the choice, so clicking twice asks once.
 */
async function pickProject(ask: (inbound: Inbound) => Promise<void>, body: BlockActions, action: BlockActionItem, log: { warn: (o: object, m: string) => void }): Promise<void> {
  const channel = body.channel?.id ?? body.container.channel_id;
  const message = body.message;
  let picked: z.infer<typeof pickSchema>;
  try {
    picked = pickSchema.parse(JSON.parse(action.value ?? ""));
  } catch {
    log.warn({ value: action.value?.slice(0, 100) }, "project button without a repository; ignored");
    return;
  }
  if (!channel || !message) return;
  await ask({
    id: `pick:${channel}:${message.ts}`,
    source: "mention",
    territory: body.team?.id ?? body.user.team_id ?? "unknown-team",
    room: { id: channel, kind: roomKind(channel) },
    threadTs: message.thread_ts ?? message.ts,
    user: body.user.id,
    text: `${picked.request} in ${picked.repo}`,
    history: [],
  });
}
