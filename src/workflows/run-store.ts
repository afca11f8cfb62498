// Where workflow runs and their tasks are recorded: one insert per run (with its tasks), one update per
// task transition, one statement per lease renewal. Every write after the insert is guarded by the
// owner, so an engine that lost its run to recovery can't overwrite the new owner's rows.
import type { Database } from "../db/index.js";
import { Prisma } from "../generated/prisma/client.js";

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
  /** Persisted as JSON; undefined leaves the column as it is. */
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

export interface RunStore {
  createRun(run: NewRun): Promise<void>;
  /** False when the run is no longer this owner's (recovered by another instance). */
  updateTasks(runId: string, owner: string, names: string[], patch: TaskPatch): Promise<boolean>;
  finishRun(runId: string, owner: string, finish: RunFinish): Promise<boolean>;
  /** Renews the leases in one statement; returns the ids this owner still holds. */
  renewLeases(owner: string, runIds: string[], leaseUntil: Date): Promise<string[]>;
  /** Runs left `running` whose lease ran out before `now`. */
  findExpired(now: Date): Promise<string[]>;
  /** Takes a run whose lease expired (a conditional update: of two instances, one wins) and reads it. */
  claim(runId: string, owner: string, now: Date, leaseUntil: Date): Promise<StoredRun | undefined>;
  load(runId: string): Promise<StoredRun | undefined>;
}

function json(value: unknown): Prisma.InputJsonValue | typeof Prisma.JsonNull {
  return value === null || value === undefined ? Prisma.JsonNull : (value as Prisma.InputJsonValue);
}

export class PrismaRunStore implements RunStore {
  constructor(private readonly db: Pick<Database, "prisma">) {}

  async createRun(run: NewRun): Promise<void> {
    await this.db.prisma.workflowRun.create({
      data: {
        id: run.id,
        type: run.type,
        status: "running",
        input: json(run.input),
        slackTeamId: run.teamId ?? null,
        slackChannelId: run.channelId ?? null,
        threadTs: run.threadTs ?? null,
        owner: run.owner,
        leaseUntil: run.leaseUntil,
        startedAt: run.startedAt,
        tasks: { createMany: { data: run.tasks.map((t) => ({ name: t.name, critical: t.critical, idempotencyKey: t.idempotencyKey })) } },
      },
      select: { id: true },
    });
  }

  async updateTasks(runId: string, owner: string, names: string[], patch: TaskPatch): Promise<boolean> {
    if (names.length === 0) return true;
    const data: Prisma.TaskRunUpdateManyMutationInput = { status: patch.status };
    if (patch.attempt !== undefined) data.attempt = patch.attempt;
    if (patch.startedAt !== undefined) data.startedAt = patch.startedAt;
    if (patch.finishedAt !== undefined) data.finishedAt = patch.finishedAt;
    if (patch.error !== undefined) data.error = patch.error;
    if ("output" in patch) data.output = patch.output === undefined ? Prisma.DbNull : json(patch.output);
    const { count } = await this.db.prisma.taskRun.updateMany({
      where: { workflowRunId: runId, name: names.length === 1 ? names[0]! : { in: names }, workflowRun: { owner } },
      data,
    });
    return count > 0;
  }

  async finishRun(runId: string, owner: string, finish: RunFinish): Promise<boolean> {
    const { count } = await this.db.prisma.workflowRun.updateMany({
      where: { id: runId, owner },
      data: { status: finish.status, result: json(finish.result), error: finish.error, finishedAt: finish.finishedAt, leaseUntil: null },
    });
    return count > 0;
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
