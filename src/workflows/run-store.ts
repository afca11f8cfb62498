// Where workflow runs and their tasks are recorded. The engine's writes go through `write`: one statement
// per batch, whatever it holds (the run's insert with its tasks as they stand, several tasks'
// transitions, the run's end). Every write after the insert is guarded by the owner, so an engine that
// lost its run to recovery can't overwrite the new owner's rows. Lease renewal is one statement for all
// of an engine's runs.
import { randomUUID } from "node:crypto";
import type { Database } from "../db/index.js";

export type StoredStatus = "pending" | "running" | "succeeded" | "failed" | "cancelled";

export interface NewRun {
  id: string;
  type: string;
  input: unknown;
  teamId?: string;
  channelId?: string;
  threadTs?: string;
  owner: string;
  leaseUntil: Date;
  startedAt: Date;
  tasks: Array<{ name: string; critical: boolean; idempotencyKey: string }>;
}

export interface TaskPatch {
  status: StoredStatus;
  attempt?: number;
  startedAt?: Date;
  finishedAt?: Date;
  /** Persisted as JSON (null is JSON null); an `output` key holding undefined clears it; no key leaves it. */
  output?: unknown;
  error?: string | null;
}

export interface StoredTask {
  name: string;
  critical: boolean;
  status: StoredStatus;
  output: unknown;
  error: string | null;
  attempt: number;
  idempotencyKey: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface StoredRun {
  id: string;
  type: string;
  status: StoredStatus;
  input: unknown;
  teamId: string | null;
  channelId: string | null;
  threadTs: string | null;
  owner: string | null;
  leaseUntil: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  error: string | null;
  result: unknown;
  tasks: StoredTask[];
}

export interface RunFinish {
  status: "succeeded" | "failed" | "cancelled";
  result: unknown;
  error: string | null;
  finishedAt: Date;
}

/**
 * One batch of an engine's writes to one run, applied as one statement: all of it lands or none.
 * Task patches are already folded (a start and a finish of the same task in one batch are one patch).
 */
export interface RunWrite {
  runId: string;
  owner: string;
  /** The run is not recorded yet: insert it (and its tasks, with `tasks`' patches applied). */
  create?: NewRun;
  tasks: Array<{ name: string; patch: TaskPatch }>;
  /** The run's end, written after the tasks' patches. */
  finish?: RunFinish;
}

export interface RunStore {
  /** Applies the batch in one statement; false when the run is no longer this owner's (nothing was written). */
  write(batch: RunWrite): Promise<boolean>;
  /** Renews the leases in one statement; returns the ids this owner still holds. */
  renewLeases(owner: string, runIds: string[], leaseUntil: Date): Promise<string[]>;
  /** Runs left `running` whose lease ran out before `now`. */
  findExpired(now: Date): Promise<string[]>;
  /** Takes a run whose lease expired (a conditional update: of two instances, one wins) and reads it. */
  claim(runId: string, owner: string, now: Date, leaseUntil: Date): Promise<StoredRun | undefined>;
  load(runId: string): Promise<StoredRun | undefined>;
}

/**
 * The batch's statements, as raw SQL: through Prisma's query builder the insert of a run with its tasks is
 * a transaction of two statements and every update a compiled query, several milliseconds each on PGlite;
 * one raw statement is one round trip. Task rows travel as one JSON array, expanded by jsonb_to_recordset
 * (typed columns: cheaper to plan than a cast per field), so one statement serves any number of tasks.
 * Timestamps travel as ISO strings read as `timestamp(3)` (the zone suffix is ignored; they are UTC, as
 * Prisma stores them).
 */
const TASK_COLUMNS = `name text, status text, attempt int, "startedAt" timestamp(3), "finishedAt" timestamp(3), set_output boolean, output text, set_error boolean, error text`;

const INSERT_RUN = `
WITH run AS (
  INSERT INTO "WorkflowRun" (id, type, status, input, "slackTeamId", "slackChannelId", "threadTs", owner, "leaseUntil", "startedAt", "finishedAt", result, error)
  SELECT r.id, r.type, r.status::"RunStatus", r.input::jsonb, r."teamId", r."channelId", r."threadTs", r.owner, r."leaseUntil", r."startedAt", r."finishedAt", r.result::jsonb, r.error
  FROM jsonb_to_record($1::jsonb) AS r(id text, type text, status text, input text, "teamId" text, "channelId" text, "threadTs" text, owner text,
    "leaseUntil" timestamp(3), "startedAt" timestamp(3), "finishedAt" timestamp(3), result text, error text)
  RETURNING id
)
INSERT INTO "TaskRun" (id, "workflowRunId", name, critical, status, attempt, "idempotencyKey", "startedAt", "finishedAt", output, error)
SELECT t.id, run.id, t.name, t.critical, COALESCE(t.status, 'pending')::"RunStatus", COALESCE(t.attempt, 0), t."idempotencyKey", t."startedAt", t."finishedAt", t.output::jsonb, t.error
FROM run, jsonb_to_recordset($2::jsonb) AS t(id text, critical boolean, "idempotencyKey" text, ${TASK_COLUMNS})`;

/**
 * Locks the run's row while it is this owner's (a concurrent claim waits, or this finds the new owner and
 * writes nothing), patches the tasks (a field a patch does not set keeps its value) and, when the batch
 * holds it ($4, the status, not null), records the run's end. Returns 1 when the run was this owner's, else 0.
 */
const UPDATE_RUN = `
WITH owned AS (
  SELECT id FROM "WorkflowRun" WHERE id = $1 AND owner = $2 FOR NO KEY UPDATE
), tasks AS (
  UPDATE "TaskRun" t SET
    status = p.status::"RunStatus",
    attempt = COALESCE(p.attempt, t.attempt),
    "startedAt" = COALESCE(p."startedAt", t."startedAt"),
    "finishedAt" = COALESCE(p."finishedAt", t."finishedAt"),
    output = CASE WHEN p.set_output THEN p.output::jsonb ELSE t.output END,
    error = CASE WHEN p.set_error THEN p.error ELSE t.error END
  FROM owned, jsonb_to_recordset($3::jsonb) AS p(${TASK_COLUMNS})
  WHERE t."workflowRunId" = owned.id AND t.name = p.name
  RETURNING 1
), finish AS (
  UPDATE "WorkflowRun" r SET status = $4::text::"RunStatus", result = $5::text::jsonb, error = $6::text, "finishedAt" = $7::text::timestamp(3), "leaseUntil" = NULL
  FROM owned
  WHERE r.id = owned.id AND $4::text IS NOT NULL
  RETURNING 1
)
SELECT count(*)::int AS owned FROM owned`;

/** A task patch as the statements read it: the fields it sets (a null output or error is set as such). */
function patchJson(name: string, patch: TaskPatch): Record<string, unknown> {
  const p: Record<string, unknown> = { name, status: patch.status };
  if (patch.attempt !== undefined) p.attempt = patch.attempt;
  if (patch.startedAt !== undefined) p.startedAt = patch.startedAt.toISOString();
  if (patch.finishedAt !== undefined) p.finishedAt = patch.finishedAt.toISOString();
  if (patch.error !== undefined) {
    p.set_error = true;
    p.error = patch.error;
  }
  if ("output" in patch) {
    // JSON text (JSON null stays JSON null, as Prisma writes it); undefined clears the column.
    p.set_output = true;
    p.output = patch.output === undefined ? null : (JSON.stringify(patch.output) ?? null);
  }
  return p;
}

export class PrismaRunStore implements RunStore {
  constructor(private readonly db: Pick<Database, "prisma" | "kind" | "sql">) {}

  async write(batch: RunWrite): Promise<boolean> {
    const { create, finish } = batch;
    if (create) {
      const patches = new Map(batch.tasks.map((t) => [t.name, t.patch]));
      const run = {
        id: create.id, type: create.type, status: finish?.status ?? "running", input: JSON.stringify(create.input ?? null),
        teamId: create.teamId ?? null, channelId: create.channelId ?? null, threadTs: create.threadTs ?? null, owner: create.owner,
        leaseUntil: finish ? null : create.leaseUntil.toISOString(), startedAt: create.startedAt.toISOString(),
        finishedAt: finish?.finishedAt.toISOString() ?? null, result: finish ? JSON.stringify(finish.result ?? null) : null, error: finish?.error ?? null,
      };
      const tasks = create.tasks.map((t) => ({
        id: randomUUID(), critical: t.critical, idempotencyKey: t.idempotencyKey,
        ...(patches.has(t.name) ? patchJson(t.name, patches.get(t.name)!) : { name: t.name }),
      }));
      await this.#raw(INSERT_RUN, [JSON.stringify(run), JSON.stringify(tasks)]);
      return true;
    }
    if (batch.tasks.length === 0 && !finish) return true;
    const rows = await this.#raw(UPDATE_RUN, [
      batch.runId,
      batch.owner,
      JSON.stringify(batch.tasks.map((t) => patchJson(t.name, t.patch))),
      finish?.status ?? null,
      finish ? JSON.stringify(finish.result ?? null) : null,
      finish?.error ?? null,
      finish?.finishedAt.toISOString() ?? null,
    ]);
    return Number(rows[0]?.owned ?? 0) > 0;
  }

  /**
   * On PGlite the batches go straight to PGlite (`db.sql`: the same single session, and PGlite runs such
   * a query only between Prisma's transactions, never inside one). Prisma's client costs about a
   * millisecond of JavaScript per raw statement on a quiet machine and several on a busy one, and the
   * run's end is on the critical path: with two CPU hogs beside the bench, 114 -> 109 ms for 10x100 ms.
   * On PostgreSQL they go through Prisma's pool (db.sql there is pg-boss's small pool of its own).
   */
  async #raw(sql: string, values: unknown[]): Promise<Array<Record<string, unknown>>> {
    if (this.db.kind === "pglite") return (await this.db.sql.executeSql(sql, values)).rows;
    return this.db.prisma.$queryRawUnsafe(sql, ...values);
  }

  async renewLeases(owner: string, runIds: string[], leaseUntil: Date): Promise<string[]> {
    if (runIds.length === 0) return [];
    const { count } = await this.db.prisma.workflowRun.updateMany({
      where: { id: { in: runIds }, owner, status: "running" },
      data: { leaseUntil },
    });
    if (count === runIds.length) return runIds;
    // Rare: some run was taken over (this process stalled past its lease). Find out which.
    const held = await this.db.prisma.workflowRun.findMany({ where: { id: { in: runIds }, owner, status: "running" }, select: { id: true } });
    return held.map((r) => r.id);
  }

  async findExpired(now: Date): Promise<string[]> {
    const rows = await this.db.prisma.workflowRun.findMany({
      where: { status: "running", OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
      select: { id: true },
      orderBy: { createdAt: "asc" },
    });
    return rows.map((r) => r.id);
  }

  async claim(runId: string, owner: string, now: Date, leaseUntil: Date): Promise<StoredRun | undefined> {
    const { count } = await this.db.prisma.workflowRun.updateMany({
      where: { id: runId, status: "running", OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
      data: { owner, leaseUntil },
    });
    return count === 1 ? this.load(runId) : undefined;
  }

  async load(runId: string): Promise<StoredRun | undefined> {
    const run = await this.db.prisma.workflowRun.findUnique({ where: { id: runId }, include: { tasks: true } });
    if (!run) return undefined;
    return {
      id: run.id,
      type: run.type,
      status: run.status,
      input: run.input,
      teamId: run.slackTeamId,
      channelId: run.slackChannelId,
      threadTs: run.threadTs,
      owner: run.owner,
      leaseUntil: run.leaseUntil,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      error: run.error,
      result: run.result,
      tasks: run.tasks.map((t) => ({
        name: t.name,
        critical: t.critical,
        status: t.status,
        output: t.output,
        error: t.error,
        attempt: t.attempt,
        idempotencyKey: t.idempotencyKey,
        startedAt: t.startedAt,
        finishedAt: t.finishedAt,
      })),
    };
  }
}
