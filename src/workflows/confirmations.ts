// What every offer-then-click write shares (an issue draft, a Notion page): the draft's state moves by one
// conditional UPDATE, so of any number of clicks on any number of instances exactly one acts, only the person
// it was offered to may act, and never after it expires; the others learn why.

export type ConfirmStatus = "proposed" | "creating" | "created" | "cancelled" | "expired";

/** The columns every confirmable draft has. */
export interface Confirmable {
  id: string;
  requestedBy: string;
  status: ConfirmStatus;
  expiresAt: Date;
  messageTs: string | null;
}

/** Why a click did not move the draft: what the person is told. */
export type Refusal<D> =
  | { kind: "not-found" }
  | { kind: "not-yours"; requestedBy: string }
  | { kind: "expired"; draft: D }
  | { kind: "settled"; draft: D };

export type Transition<D> = { ok: true; draft: D } | { ok: false; refusal: Refusal<D> };

/** The two calls a Prisma model delegate offers that a move needs (typed loosely: each delegate has its own types). */
export interface DraftTable {
  updateMany(args: { where: Record<string, unknown>; data: Record<string, unknown> }): Promise<{ count: number }>;
}

/**
 * proposed → `to`, for the person it was offered to, before it expires; `data` is written with the move. A late
 * click marks the draft expired. `get` reads the draft back (the mover's view of it either way).
 */
export async function moveDraft<D extends Confirmable>(
  table: DraftTable,
  get: (id: string) => Promise<D | undefined>,
  move: { id: string; user: string; to: ConfirmStatus; now: Date; data?: Record<string, unknown> },
): Promise<Transition<D>> {
  const { id, user, to, now } = move;
  const moved = await table.updateMany({ where: { id, requestedBy: user, status: "proposed", expiresAt: { gt: now } }, data: { ...move.data, status: to } });
  const draft = await get(id);
  if (!draft) return { ok: false, refusal: { kind: "not-found" } };
  if (moved.count === 1) return { ok: true, draft };
  return refusalFor(table, draft, user, now, move.data);
}

async function refusalFor<D extends Confirmable>(table: DraftTable, draft: D, user: string, now: Date, data?: Record<string, unknown>): Promise<Transition<D>> {
  if (draft.requestedBy !== user) return { ok: false, refusal: { kind: "not-yours", requestedBy: draft.requestedBy } };
  if (draft.status === "proposed" && draft.expiresAt <= now) {
    const messageTs = typeof data?.messageTs === "string" ? data.messageTs : undefined;
    await table.updateMany({ where: { id: draft.id, status: "proposed" }, data: { status: "expired", ...(messageTs ? { messageTs } : {}) } });
    return { ok: false, refusal: { kind: "expired", draft: { ...draft, status: "expired" } } };
  }
  return { ok: false, refusal: { kind: draft.status === "expired" ? "expired" : "settled", draft } };
}

/** Records the message carrying the buttons, learnt from the first click on it. */
export async function noteDraftMessage(table: DraftTable, id: string, messageTs: string): Promise<void> {
  await table.updateMany({ where: { id, messageTs: null }, data: { messageTs } });
}

/** What the person whose click did nothing is told; `done` says where the finished draft went. */
export function refusalSentence<D extends Confirmable>(refusal: Refusal<D>, what: string, done: (draft: D) => string): string {
  switch (refusal.kind) {
    case "not-found":
      return `I can't find that ${what} any more — ask me again and I'll draft it anew.`;
    case "not-yours":
      return `Only <@${refusal.requestedBy}> can confirm this — it's their ${what}. Ask me yourself if you want one of your own.`;
    case "expired":
      return `This ${what} expired, so I didn't create anything. Ask me again and I'll draft it anew.`;
    case "settled": {
      const d = refusal.draft;
      if (d.status === "created") return `That's done already: ${done(d)}.`;
      if (d.status === "creating") return "I'm already creating it — one click is enough.";
      if (d.status === "cancelled") return `That ${what} was cancelled, so nothing was created.`;
      return `That ${what} can't be changed any more.`;
    }
  }
}
