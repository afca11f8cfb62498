// How a draft looks in Slack: the proposal with Create / Edit / Cancel, and each way it can end (no buttons left).
import { escapeMrkdwn } from "../../slack/format.js";
import type { MessageBody } from "../../slack/poster.js";
import type { StoredDraft } from "./draft-store.js";

export const CREATE_ACTION_ID = "piper_issue_create";
export const EDIT_ACTION_ID = "piper_issue_edit";
export const CANCEL_ACTION_ID = "piper_issue_cancel";
export const EDIT_VIEW_CALLBACK_ID = "piper_issue_edit_view";
export const PROJECT_PICK_PREFIX = "piper_project_pick_";

/** Section text is limited to 3,000 characters; the body preview stays well under. */
const PREVIEW_CHARS = 1_200;

export function proposalBody(draft: StoredDraft, options: { by: "model" | "plain"; notes?: string[]; ttlMinutes: number }): MessageBody {
  const title = `*${escapeMrkdwn(draft.title)}*`;
  const where = `Draft issue for *${escapeMrkdwn(draft.repo)}*${draft.source === "thread" ? ", from this thread" : ""}:`;
  const blocks: unknown[] = [
    { type: "section", text: { type: "mrkdwn", text: `${where}\n${title}` } },
    { type: "section", text: { type: "mrkdwn", text: preview(draft.body) } },
  ];
  const facts: string[] = [];
  if (draft.labels.length > 0) facts.push(`Labels: ${draft.labels.map(escapeMrkdwn).join(", ")}`);
  facts.push(options.by === "model" ? "Drafted by the model from what was said." : "A plain draft: the request as the title, the conversation quoted (no model).");
  if (draft.duplicate) blocks.push({ type: "section", text: { type: "mrkdwn", text: `:warning: This may already exist: <${draft.duplicate.url}|#${draft.duplicate.number} ${escapeMrkdwn(draft.duplicate.title)}>` } });
  for (const note of options.notes ?? []) facts.push(note);
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: facts.join(" · ") }] });
  blocks.push({
    type: "actions",
    block_id: "piper_issue_draft",
    elements: [
      { type: "button", action_id: CREATE_ACTION_ID, text: { type: "plain_text", text: "Create" }, style: "primary", value: draft.id },
      { type: "button", action_id: EDIT_ACTION_ID, text: { type: "plain_text", text: "Edit" }, value: draft.id },
      { type: "button", action_id: CANCEL_ACTION_ID, text: { type: "plain_text", text: "Cancel" }, value: draft.id },
    ],
  });
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `Nothing is created until the person who asked clicks Create; only they can use these buttons, for ${options.ttlMinutes} minutes.` }] });
  return { text: `Draft issue for ${draft.repo}: ${draft.title} — nothing is created until you click Create.`, blocks };
}

/** The draft once it can no longer be acted on: what it became, no buttons. */
export function settledBody(draft: StoredDraft): MessageBody {
  const title = escapeMrkdwn(draft.title);
  let line: string;
  switch (draft.status) {
    case "created":
      line = `:white_check_mark: Created <${draft.issueUrl}|${escapeMrkdwn(draft.repo)}#${draft.issueNumber}>: *${title}*`;
      break;
    case "creating":
      line = `:hourglass_flowing_sand: Creating *${title}* in ${escapeMrkdwn(draft.repo)}…`;
      break;
    case "cancelled":
      line = `Cancelled — nothing was created. (Draft: *${title}*)`;
      break;
    case "expired":
      line = `This draft expired — nothing was created. Ask me again and I'll draft it anew. (Draft: *${title}*)`;
      break;
    default:
      line = `Draft: *${title}*`;
  }
  return { text: line, blocks: [{ type: "section", text: { type: "mrkdwn", text: line } }] };
}

/** The modal the Edit button opens, prefilled; the draft's id rides in private_metadata. */
export function editView(draft: StoredDraft): Record<string, unknown> {
  return {
    type: "modal",
    callback_id: EDIT_VIEW_CALLBACK_ID,
    private_metadata: draft.id,
    title: { type: "plain_text", text: "Edit issue draft" },
    submit: { type: "plain_text", text: "Save" },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `For *${escapeMrkdwn(draft.repo)}*. Saving updates the draft; Create still creates it.` } },
      { type: "input", block_id: "title", label: { type: "plain_text", text: "Title" }, element: { type: "plain_text_input", action_id: "value", initial_value: draft.title, max_length: 256 } },
      { type: "input", block_id: "body", optional: true, label: { type: "plain_text", text: "Description" }, element: { type: "plain_text_input", action_id: "value", multiline: true, initial_value: draft.body.slice(0, 3_000) } },
      { type: "input", block_id: "labels", optional: true, label: { type: "plain_text", text: "Labels (comma-separated)" }, element: { type: "plain_text_input", action_id: "value", initial_value: draft.labels.join(", ") } },
    ],
  };
}

/** The project picker: one button per candidate repository; a click asks the same request in that repository. */
export function projectChoiceBody(question: string, candidates: string[], request: string): MessageBody {
  return {
    text: `${question} ${candidates.join(", ")}`,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: question } },
      {
        type: "actions",
        block_id: "piper_project_pick",
        elements: candidates.map((repo, i) => ({
          type: "button",
          action_id: `${PROJECT_PICK_PREFIX}${i + 1}`,
          text: { type: "plain_text", text: repo },
          // The request rides along, cut to fit Slack's 2,000-character value.
          value: JSON.stringify({ repo, request: request.slice(0, 1_800) }),
        })),
      },
    ],
  };
}

function preview(body: string): string {
  const text = body.length > PREVIEW_CHARS ? `${body.slice(0, PREVIEW_CHARS - 1)}…` : body;
  // GitHub markdown shown as a quote: close enough in Slack, and clearly "what will be posted".
  return text.trim() === "" ? "_(no description)_" : text.split("\n").map((l) => `> ${escapeMrkdwn(l)}`).join("\n");
}
