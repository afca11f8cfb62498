// The "Save to Notion" offer's buttons as Slack listeners.
import type { ActionHandler, BlockActionItem, BlockActions } from "../../slack/listeners/actions.js";
import { PAGE_CANCEL_ACTION_ID, PAGE_CREATE_ACTION_ID, type NotionPageOffers, type PageClick } from "./page-offers.js";

export function pageActionHandlers(offers: () => NotionPageOffers): Record<string, ActionHandler> {
  return {
    [PAGE_CREATE_ACTION_ID]: async (body, action) => {
      const click = pageClick(body, action);
      if (click) await offers().create(click);
    },
    [PAGE_CANCEL_ACTION_ID]: async (body, action) => {
      const click = pageClick(body, action);
      if (click) await offers().cancel(click);
    },
  };
}

function pageClick(body: BlockActions, action: BlockActionItem): PageClick | undefined {
  const channel = body.channel?.id ?? body.container.channel_id;
  const draftId = action.value?.trim();
  if (!channel || !draftId) return undefined;
  const messageTs = body.container.message_ts ?? body.message?.ts;
  const raw = body.message as { text?: unknown; blocks?: unknown } | undefined;
  const message = raw ? { text: typeof raw.text === "string" ? raw.text : "", blocks: Array.isArray(raw.blocks) ? raw.blocks : [] } : undefined;
  return { draftId, user: body.user.id, channel, ...(messageTs ? { messageTs } : {}), ...(message ? { message } : {}) };
}
