// Notion page drafts in the database: offered with Create / Cancel, moved by the shared conditional updates.
import type { PrismaClient } from "../../generated/prisma/client.js";
import type { NotionParent } from "../../integrations/notion.js";
import { moveDraft, noteDraftMessage, type ConfirmStatus, type DraftTable, type Transition } from "../confirmations.js";

export interface StoredPageDraft {
  id: string;
  teamId: string;
  channelId: string;
  threadTs: string | null;
  requestedBy: string;
  parent: NotionParent;
  title: string;
  blocks: unknown[];
  status: ConfirmStatus;
  expiresAt: Date;
  messageTs: string | null;
  pageId: string | null;
  pageUrl: string | null;
  createdAt: Date;
}

/** A page to offer: where it goes, what it says, who may create it. */
export interface PageRequest {
  /** Names the offer: offered again for the same request, the same draft. */
  requestId: string;
  teamId: string;
  channelId: string;
  threadTs?: string;
  requestedBy: string;
  parent: NotionParent;
  title: string;
  /** Notion block objects (see notionBlocks). */
  blocks: unknown[];
}

export type NewPageDraft = PageRequest & { expiresAt: Date };

export class PageDraftStore {
  readonly #table: DraftTable;

  constructor(private readonly prisma: PrismaClient) {
    this.#table = prisma.pageDraft as unknown as DraftTable;
  }

  /** Stores a draft; asked again for the same request, the draft it already has. */
  async save(d: NewPageDraft): Promise<StoredPageDraft> {
    const row = await this.prisma.pageDraft.upsert({
      where: { requestId: d.requestId },
      create: {
        requestId: d.requestId, slackTeamId: d.teamId, channelId: d.channelId, threadTs: d.threadTs ?? null, requestedBy: d.requestedBy,
        parentKind: d.parent.kind, parentId: d.parent.id, title: d.title, blocks: d.blocks as object[], expiresAt: d.expiresAt,
      },
      update: {},
    });
    return toDraft(row);
  }

  async get(id: string): Promise<StoredPageDraft | undefined> {
    const row = await this.prisma.pageDraft.findUnique({ where: { id } });
    return row ? toDraft(row) : undefined;
  }

  transition(id: string, user: string, to: "creating" | "cancelled", now: Date, messageTs?: string): Promise<Transition<StoredPageDraft>> {
    return moveDraft(this.#table, (i) => this.get(i), { id, user, to, now, data: messageTs ? { messageTs } : {} });
  }

  noteMessage(id: string, messageTs: string): Promise<void> {
    return noteDraftMessage(this.#table, id, messageTs);
  }

  async markCreated(id: string, page: { id: string; url: string }): Promise<void> {
    await this.prisma.pageDraft.updateMany({ where: { id, status: { in: ["creating", "created"] } }, data: { status: "created", pageId: page.id, pageUrl: page.url } });
  }

  /** Notion refused for sure: offered again, its buttons still good. */
  async reopen(id: string): Promise<void> {
    await this.prisma.pageDraft.updateMany({ where: { id, status: "creating" }, data: { status: "proposed" } });
  }
}

function toDraft(row: {
  id: string; slackTeamId: string; channelId: string; threadTs: string | null; requestedBy: string; parentKind: string; parentId: string; title: string; blocks: unknown;
  status: string; expiresAt: Date; messageTs: string | null; pageId: string | null; pageUrl: string | null; createdAt: Date;
}): StoredPageDraft {
  return {
    id: row.id, teamId: row.slackTeamId, channelId: row.channelId, threadTs: row.threadTs, requestedBy: row.requestedBy,
    parent: { kind: row.parentKind === "database" ? "database" : "page", id: row.parentId }, title: row.title, blocks: Array.isArray(row.blocks) ? row.blocks : [],
    status: row.status as ConfirmStatus, expiresAt: row.expiresAt, messageTs: row.messageTs, pageId: row.pageId, pageUrl: row.pageUrl, createdAt: row.createdAt,
  };
}
