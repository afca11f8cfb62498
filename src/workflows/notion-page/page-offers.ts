// "Save this to Notion": a page offered under an answer (a standup, a summary) with Create / Cancel. Only the
// person it was offered to creates it, once, through a resumable run whose write looks before it acts; its link
// is posted in the thread.
import { isIntegrationError, OutcomeUnknown } from "../../integrations/errors.js";
import type { NotionClient, NotionParent } from "../../integrations/notion.js";
import type { Logger } from "../../logger.js";
import { escapeMrkdwn } from "../../slack/format.js";
import type { MessageBody, SlackPoster } from "../../slack/poster.js";
import { refusalSentence, type Refusal } from "../confirmations.js";
import type { WorkflowEngine } from "../engine.js";
import type { TaskContext } from "../types.js";
import type { PageDraftStore, PageRequest, StoredPageDraft } from "./page-drafts.js";

export const PAGE_CREATE_ACTION_ID = "piper_page_create";
export const PAGE_CANCEL_ACTION_ID = "piper_page_cancel";
export const PAGE_WORKFLOW = "notion-page-create";

/** How far back a resumed attempt looks for the page an earlier attempt may have made (Notion rounds times to the minute). */
const LOOK_BACK_MS = 10 * 60_000;

export interface PageOfferDeps {
  engine: WorkflowEngine;
  notion: NotionClient;
  drafts: PageDraftStore;
  poster: SlackPoster;
  ttlMs: number;
  now?: () => Date;
  logger: Logger;
}

export type { PageRequest } from "./page-drafts.js";

export interface PageClick {
  draftId: string;
  user: string;
  channel: string;
  messageTs?: string;
  /** The message the buttons sit in, as the click delivered it: the answer above the buttons is kept when they go. */
  message?: { text: string; blocks: unknown[] };
}

export class NotionPageOffers {
  readonly #now: () => Date;

  constructor(private readonly deps: PageOfferDeps) {
    this.#now = deps.now ?? (() => new Date());
    deps.engine.register<{ draftId: string }>(
      {
        type: PAGE_WORKFLOW,
        thresholdMs: 15_000,
        tasks: [
          { name: "create", sideEffects: true, timeoutMs: 30_000, run: (ctx) => this.#createTask(ctx) },
          { name: "announce", dependsOn: ["create"], critical: false, sideEffects: true, timeoutMs: 30_000, run: (ctx) => this.#announceTask(ctx) },
        ],
      },
      { resumable: true },
    );
  }

  /** Stores the offer and returns the blocks to put under the answer: what would be written where, and the buttons. */
  async offer(request: PageRequest): Promise<unknown[]> {
    const draft = await this.deps.drafts.save({ ...request, expiresAt: new Date(this.#now().getTime() + this.deps.ttlMs) });
    return offerBlocks(draft, Math.round(this.deps.ttlMs / 60_000));
  }

  async create(click: PageClick): Promise<void> {
    const moved = await this.deps.drafts.transition(click.draftId, click.user, "creating", this.#now(), click.messageTs);
    if (!moved.ok) return this.#refuse(click, moved.refusal);
    const draft = moved.draft;
    await this.#settle(draft, click);
    const result = await this.deps.engine.start(PAGE_WORKFLOW, { draftId: draft.id }, { teamId: draft.teamId, channelId: draft.channelId, threadTs: draft.threadTs ?? undefined });
    const after = await this.deps.drafts.get(draft.id);
    if (after) await this.#settle(after, click);
    if (result.status !== "failed") return;
    const error = result.causes.create;
    const unknown = error instanceof OutcomeUnknown;
    if (!unknown) await this.deps.drafts.reopen(draft.id);
    const sentence = isIntegrationError(error) && "userMessage" in error ? String((error as { userMessage: string }).userMessage) : "Something went wrong while creating the Notion page.";
    await this.#post(draft, `${sentence}${unknown ? "" : " Nothing was created; the button still works."}`, `page-failed:${draft.id}:${result.runId}`);
  }

  async cancel(click: PageClick): Promise<void> {
    const moved = await this.deps.drafts.transition(click.draftId, click.user, "cancelled", this.#now(), click.messageTs);
    if (!moved.ok) return this.#refuse(click, moved.refusal);
    await this.#settle(moved.draft, click);
  }

  async #createTask(ctx: TaskContext<{ draftId: string }>): Promise<{ id: string; url: string }> {
    const draft = await this.deps.drafts.get(ctx.input.draftId);
    if (!draft) throw new Error(`page draft ${ctx.input.draftId} is gone`);
    if (draft.status === "created" && draft.pageId && draft.pageUrl) return { id: draft.pageId, url: draft.pageUrl };
    // A later attempt may follow a create that happened before a crash: look for the page first.
    const earlier = ctx.attempt > 1 ? await this.deps.notion.findCreatedPage(draft.parent, draft.title, new Date(draft.createdAt.getTime() - LOOK_BACK_MS)) : undefined;
    const page = earlier ?? (await this.deps.notion.createPage({ parent: draft.parent, title: draft.title, blocks: draft.blocks as never }));
    await this.deps.drafts.markCreated(draft.id, { id: page.id, url: page.url });
    return { id: page.id, url: page.url };
  }

  async #announceTask(ctx: TaskContext<{ draftId: string }>): Promise<void> {
    const draft = await this.deps.drafts.get(ctx.input.draftId);
    if (!draft || draft.status !== "created") return;
    const key = `page-link:${draft.id}`;
    if (ctx.attempt > 1 && (await this.deps.poster.findByKey(draft.channelId, draft.threadTs ?? undefined, key))) return;
    await this.deps.poster.postMessage(draft.channelId, draft.threadTs ?? undefined, { text: `Saved to Notion: <${draft.pageUrl}|${draft.title}>` }, { key });
  }

  /** The offer's message as the draft now stands: the answer above the buttons stays, the buttons become a line. */
  async #settle(draft: StoredPageDraft, click: PageClick): Promise<void> {
    if (!click.messageTs || !click.message) return;
    const kept = click.message.blocks.filter((b) => !String((b as { block_id?: string }).block_id ?? "").startsWith("piper_page_offer"));
    const line = settledLine(draft);
    try {
      await this.deps.poster.update(click.channel, click.messageTs, { text: click.message.text || line, blocks: [...kept, { type: "context", block_id: "piper_page_offer_done", elements: [{ type: "mrkdwn", text: line }] }] });
    } catch (err) {
      this.deps.logger.warn({ err, draftId: draft.id }, "could not update the page offer's message");
    }
  }

  async #refuse(click: PageClick, refusal: Refusal<StoredPageDraft>): Promise<void> {
    const text = refusalSentence(refusal, "Notion page", (d) => `<${d.pageUrl}|${d.title}>`);
    try {
      await this.deps.poster.call("chat.postEphemeral", (c) => c.chat.postEphemeral({ channel: click.channel, user: click.user, text }));
    } catch (err) {
      this.deps.logger.warn({ err }, "could not tell the person who clicked why nothing happened");
    }
  }

  async #post(draft: StoredPageDraft, text: string, key: string): Promise<void> {
    try {
      await this.deps.poster.postMessage(draft.channelId, draft.threadTs ?? undefined, { text }, { key });
    } catch (err) {
      this.deps.logger.warn({ err }, "could not post in the page offer's thread");
    }
  }
}

export function offerBlocks(draft: StoredPageDraft, ttlMinutes: number): unknown[] {
  return [
    { type: "section", block_id: "piper_page_offer_text", text: { type: "mrkdwn", text: `Save this to Notion as *${escapeMrkdwn(draft.title)}*? Nothing is written until the person who asked clicks Create.` } },
    {
      type: "actions",
      block_id: "piper_page_offer_buttons",
      elements: [
        { type: "button", action_id: PAGE_CREATE_ACTION_ID, text: { type: "plain_text", text: "Create Notion page" }, style: "primary", value: draft.id },
        { type: "button", action_id: PAGE_CANCEL_ACTION_ID, text: { type: "plain_text", text: "Cancel" }, value: draft.id },
      ],
    },
    { type: "context", block_id: "piper_page_offer_note", elements: [{ type: "mrkdwn", text: `These buttons work for ${ttlMinutes} minutes.` }] },
  ];
}

function settledLine(draft: StoredPageDraft): string {
  if (draft.status === "created") return `:white_check_mark: Saved to Notion: <${draft.pageUrl}|${escapeMrkdwn(draft.title)}>`;
  if (draft.status === "cancelled") return "Not saved to Notion (cancelled).";
  if (draft.status === "expired") return "The offer to save this to Notion expired.";
  return "Saving to Notion…";
}

/** Sections of text as Notion blocks: a heading each, then its lines as bullets (Notion's 2,000-character limit per text). */
export function notionBlocks(sections: Array<{ heading: string; lines: string[] }>): unknown[] {
  const text = (content: string) => [{ type: "text", text: { content: content.slice(0, 2_000) } }];
  return sections.flatMap((s) => [
    { object: "block", type: "heading_2", heading_2: { rich_text: text(s.heading) } },
    ...s.lines.map((l) => ({ object: "block", type: "bulleted_list_item", bulleted_list_item: { rich_text: text(l) } })),
  ]);
}

/** `page:<id>` or `database:<id>` (PIPER_NOTION_PARENT), a bare id meaning a page. */
export function parseNotionParent(value: string | undefined): NotionParent | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  const m = /^(page|database):(.+)$/.exec(v);
  return m ? { kind: m[1] as "page" | "database", id: m[2]!.trim() } : { kind: "page", id: v };
}

/**
 * A Slack answer's sections as Notion sections: each section's first line is its heading, the rest its lines;
 * links become "label (url)" and Slack's bold/italic marks are dropped. Headers and context lines are left out
 * (the page's title and Piper's own notes).
 */
export function sectionsFromSlack(blocks: unknown[]): Array<{ heading: string; lines: string[] }> {
  const plain = (mrkdwn: string) =>
    mrkdwn
      .replace(/<([^<>|]+)\|([^<>]+)>/g, "$2 ($1)")
      .replace(/<([^<>|]+)>/g, "$1")
      .replace(/(^|\s)[*_~]+|[*_~]+(?=\s|$|[.,:;!?])/g, "$1")
      .replace(/^>\s?/gm, "")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&")
      .trim();
  const sections: Array<{ heading: string; lines: string[] }> = [];
  for (const block of blocks as Array<{ type?: string; text?: { text?: string } }>) {
    if (block.type !== "section" || typeof block.text?.text !== "string") continue;
    const [first = "", ...rest] = block.text.text.split("\n").map(plain).filter((l) => l !== "");
    sections.push({ heading: first, lines: rest.map((l) => l.replace(/^[•·-]\s*/, "")) });
  }
  return sections;
}
