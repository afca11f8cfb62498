// Issue drafts in the database. Every state change is one conditional UPDATE, so of two clicks (or two
// instances) exactly one moves a draft on and the other learns what happened instead.
import type { PrismaClient } from "../../generated/prisma/client.js";
import { moveDraft, noteDraftMessage, type ConfirmStatus, type DraftTable, type Refusal as AnyRefusal, type Transition as AnyTransition } from "../confirmations.js";
import type { LikelyDuplicate } from "./duplicates.js";

export type DraftStatus = ConfirmStatus;

export interface StoredDraft {
  id: string;
  teamId: string;
  channelId: string;
  threadTs: string | null;
  requestedBy: string;
  repo: string;
  title: string;
  body: string;
  labels: string[];
  source: "message" | "thread";
  permalink: string | null;
  duplicate: LikelyDuplicate | null;
  status: DraftStatus;
  expiresAt: Date;
  messageTs: string | null;
  issueNumber: number | null;
  issueUrl: string | null;
  runId: string | null;
}

export interface NewDraft {
  requestId: string;
  teamId: string;
  channelId: string;
  threadTs?: string;
  requestedBy: string;
  repo: string;
  title: string;
  body: string;
  labels: string[];
  source: "message" | "thread";
  permalink?: string;
  duplicate?: LikelyDuplicate;
  expiresAt: Date;
}

export type Refusal = AnyRefusal<StoredDraft>;
export type Transition = AnyTransition<StoredDraft>;

export class DraftStore {
  readonly #table: DraftTable;

  constructor(private readonly prisma: PrismaClient) {
    this.#table = prisma.issueDraft as unknown as DraftTable;
  }

  /** Stores a draft; a request seen again (a redelivered event) gets the draft it already has. */
  async save(draft: NewDraft): Promise<StoredDraft> {
    const row = await this.prisma.issueDraft.upsert({
      where: { requestId: draft.requestId },
      create: {
        requestId: draft.requestId,
        slackTeamId: draft.teamId,
        channelId: draft.channelId,
        threadTs: draft.threadTs ?? null,
        requestedBy: draft.requestedBy,
        repo: draft.repo,
        title: draft.title,
        body: draft.body,
        labels: draft.labels,
        source: draft.source,
        permalink: draft.permalink ?? null,
        duplicate: draft.duplicate ? { ...draft.duplicate } : undefined,
        expiresAt: draft.expiresAt,
      },
      update: {},
    });
    return toDraft(row);
  }

  async get(id: string): Promise<StoredDraft | undefined> {
    const row = await this.prisma.issueDraft.findUnique({ where: { id } });
    return row ? toDraft(row) : undefined;
  }

  /** proposed → `to` (see confirmations.ts); `set` records what the move carries (the message it sits in). */
  transition(id: string, user: string, to: "creating" | "cancelled", now: Date, set: { messageTs?: string } = {}): Promise<Transition> {
    return moveDraft(this.#table, (i) => this.get(i), { id, user, to, now, data: set.messageTs ? { messageTs: set.messageTs } : {} });
  }

  /** An edit from the modal: only while proposed, only by its owner. */
  async edit(id: string, user: string, content: { title: string; body: string; labels: string[] }, now: Date): Promise<Transition> {
    const moved = await this.prisma.issueDraft.updateMany({
      where: { id, requestedBy: user, status: "proposed", expiresAt: { gt: now } },
      data: { title: content.title, body: content.body, labels: content.labels },
    });
    const draft = await this.get(id);
    if (!draft) return { ok: false, refusal: { kind: "not-found" } };
    if (moved.count === 1) return { ok: true, draft };
    if (draft.requestedBy !== user) return { ok: false, refusal: { kind: "not-yours", requestedBy: draft.requestedBy } };
    return { ok: false, refusal: { kind: draft.status === "proposed" || draft.status === "expired" ? "expired" : "settled", draft } };
  }

  /** The message carrying the draft's buttons, learnt from the first click on it. */
  noteMessage(id: string, messageTs: string): Promise<void> {
    return noteDraftMessage(this.#table, id, messageTs);
  }

  async markCreated(id: string, issue: { number: number; url: string }): Promise<StoredDraft | undefined> {
    await this.prisma.issueDraft.updateMany({ where: { id, status: { in: ["creating", "created"] } }, data: { status: "created", issueNumber: issue.number, issueUrl: issue.url } });
    return this.get(id);
  }

  /** The create failed for sure (GitHub refused): the draft is offered again, its buttons still good. */
  async reopen(id: string): Promise<void> {
    await this.prisma.issueDraft.updateMany({ where: { id, status: "creating" }, data: { status: "proposed" } });
  }
}

function toDraft(row: {
  id: string; slackTeamId: string; channelId: string; threadTs: string | null; requestedBy: string; repo: string; title: string; body: string; labels: string[];
  source: string; permalink: string | null; duplicate: unknown; status: string; expiresAt: Date; messageTs: string | null; issueNumber: number | null; issueUrl: string | null; runId: string | null;
}): StoredDraft {
  return {
    id: row.id, teamId: row.slackTeamId, channelId: row.channelId, threadTs: row.threadTs, requestedBy: row.requestedBy, repo: row.repo, title: row.title, body: row.body,
    labels: row.labels, source: row.source === "thread" ? "thread" : "message", permalink: row.permalink, duplicate: (row.duplicate as LikelyDuplicate | null) ?? null,
    status: row.status as DraftStatus, expiresAt: row.expiresAt, messageTs: row.messageTs, issueNumber: row.issueNumber, issueUrl: row.issueUrl, runId: row.runId,
  };
}
