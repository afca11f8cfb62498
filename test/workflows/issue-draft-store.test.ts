// The draft's state moves by conditional updates: one winner among concurrent clicks, only its owner, never after expiry.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DraftStore, type NewDraft } from "../../src/workflows/create-issue/draft-store.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";

describe("DraftStore", () => {
  let db: TestDatabase;
  let store: DraftStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    store = new DraftStore(db.prisma);
  });
  afterAll(async () => db?.dispose());

  const now = new Date("2026-11-29T10:00:00Z");
  let n = 0;
  const fresh = (over: Partial<NewDraft> = {}) =>
    store.save({ requestId: `Ev${++n}`, teamId: "T1", channelId: "C1", threadTs: "1.1", requestedBy: "U_ALICE", repo: "acme/web", title: "t", body: "b", labels: ["bug"], source: "message", expiresAt: new Date(now.getTime() + 60_000), ...over });

  it("a redelivered request gets the draft it already has", async () => {
    const first = await fresh({ requestId: "EvSame" });
    const again = await store.save({ requestId: "EvSame", teamId: "T1", channelId: "C1", requestedBy: "U_ALICE", repo: "acme/web", title: "other", body: "", labels: [], source: "message", expiresAt: now });
    expect(again).toEqual(first);
  });

  it("of ten concurrent Create clicks exactly one moves the draft; the rest learn it is settled", async () => {
    const draft = await fresh();
    const results = await Promise.all(Array.from({ length: 10 }, () => store.transition(draft.id, "U_ALICE", "creating", now, { messageTs: "2.2" })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const r of results.filter((x) => !x.ok)) expect(r).toMatchObject({ ok: false, refusal: { kind: "settled", draft: { status: "creating" } } });
    expect((await store.get(draft.id))?.messageTs).toBe("2.2");
  });

  it("someone else's click changes nothing and names the owner", async () => {
    const draft = await fresh();
    expect(await store.transition(draft.id, "U_BOB", "creating", now)).toEqual({ ok: false, refusal: { kind: "not-yours", requestedBy: "U_ALICE" } });
    expect((await store.get(draft.id))?.status).toBe("proposed");
    expect(await store.edit(draft.id, "U_BOB", { title: "x", body: "", labels: [] }, now)).toMatchObject({ ok: false, refusal: { kind: "not-yours" } });
  });

  it("Create after Cancel (a client that hadn't refreshed) is refused as settled", async () => {
    const draft = await fresh();
    expect(await store.transition(draft.id, "U_ALICE", "cancelled", now)).toMatchObject({ ok: true, draft: { status: "cancelled" } });
    expect(await store.transition(draft.id, "U_ALICE", "creating", now)).toMatchObject({ ok: false, refusal: { kind: "settled", draft: { status: "cancelled" } } });
  });

  it("a click after expiry marks the draft expired and moves nothing", async () => {
    const draft = await fresh();
    const late = new Date(now.getTime() + 60_000);
    expect(await store.transition(draft.id, "U_ALICE", "creating", late)).toMatchObject({ ok: false, refusal: { kind: "expired", draft: { status: "expired" } } });
    expect((await store.get(draft.id))?.status).toBe("expired");
  });

  it("edits only while proposed; a failed create reopens the draft; created is recorded once", async () => {
    const draft = await fresh();
    expect(await store.edit(draft.id, "U_ALICE", { title: "New", body: "B", labels: [] }, now)).toMatchObject({ ok: true, draft: { title: "New", body: "B", labels: [] } });
    await store.transition(draft.id, "U_ALICE", "creating", now);
    expect(await store.edit(draft.id, "U_ALICE", { title: "Late", body: "", labels: [] }, now)).toMatchObject({ ok: false, refusal: { kind: "settled" } });
    await store.reopen(draft.id);
    expect((await store.get(draft.id))?.status).toBe("proposed");
    await store.transition(draft.id, "U_ALICE", "creating", now);
    expect(await store.markCreated(draft.id, { number: 7, url: "https://github.com/acme/web/issues/7" })).toMatchObject({ status: "created", issueNumber: 7 });
    await store.reopen(draft.id);
    expect((await store.get(draft.id))?.status).toBe("created");
  });
});
