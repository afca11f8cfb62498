// Every tick: which schedules are due, claim each slot once across instances, post its standup into the channel.
import type { Logger } from "../../logger.js";
import type { MessageBody, PostedMessage } from "../../slack/poster.js";
import { SlackRefusedError } from "../../slack/poster.js";
import { describeWhen } from "./parse.js";
import type { Schedule, ScheduleStore } from "./store.js";
import { dueSlot } from "./times.js";

/** The standup itself (src/workflows/standup/, built separately): a body for a channel. */
export type StandupRunner = (input: { teamId: string; channelId: string; text?: string; now?: Date }) => Promise<{ text: string; blocks: unknown[] }>;

/** The part of SlackPoster the scheduler writes through. */
export interface StandupPoster {
  postMessage(channel: string, threadTs: string | undefined, body: MessageBody, options: { key: string }): Promise<PostedMessage>;
  findByKey(channel: string, threadTs: string | undefined, key: string): Promise<PostedMessage | undefined>;
}

export interface StandupSchedulerDeps {
  store: ScheduleStore;
  /** Absent until the standup exists in this build: ticks then post nothing (and claim nothing). */
  runStandup?: StandupRunner;
  /** A getter: the poster exists once the Slack surface does. */
  poster: () => StandupPoster | undefined;
  logger: Logger;
  now?: () => Date;
  /**
   * A claimed slot whose post hasn't landed after this long is taken over by the next tick (here or on
   * another instance): the claimer died or failed. Longer than a standup may take (standupTimeoutMs).
   */
  leaseMs?: number;
  /** A standup still being written after this is abandoned (its slot is retried after the lease). */
  standupTimeoutMs?: number;
  /** Attempts per slot before it is given up. */
  maxAttempts?: number;
  /** Standups written at once in one tick (a 9:00 that many channels share). */
  concurrency?: number;
}

export interface TickResult {
  /** Slots whose standup this tick posted (or found already posted, after a crash). */
  posted: Array<{ scheduleId: string; channelId: string; slot: Date }>;
  failed: Array<{ scheduleId: string; channelId: string; slot: Date; error: unknown }>;
}

/** The message key of a slot's standup: a retry after a crash looks for it before posting. */
export function slotKey(scheduleId: string, slot: Date): string {
  return `standup-schedule:${scheduleId}:${slot.toISOString()}`;
}

export class StandupTimeoutError extends Error {
  constructor(ms: number) {
    super(`the standup took longer than ${ms} ms`);
    this.name = "StandupTimeoutError";
  }
}

export class StandupScheduler {
  readonly #leaseMs: number;
  readonly #timeoutMs: number;
  readonly #maxAttempts: number;
  readonly #concurrency: number;
  readonly #log: Logger;

  constructor(private readonly deps: StandupSchedulerDeps) {
    this.#timeoutMs = deps.standupTimeoutMs ?? 5 * 60_000;
    this.#leaseMs = Math.max(deps.leaseMs ?? 10 * 60_000, this.#timeoutMs + 60_000);
    this.#maxAttempts = deps.maxAttempts ?? 3;
    this.#concurrency = Math.max(1, deps.concurrency ?? 4);
    this.#log = deps.logger;
  }

  get available(): boolean {
    return this.deps.runStandup !== undefined;
  }

  /**
   * Runs every schedule whose slot is due at `now` and not yet posted. Missed ticks cost nothing: the
   * slot due is today's (in the schedule's zone) whenever the tick comes, and a claimed slot is never
   * claimed again — so after downtime the day's one missed slot runs once, and earlier days' never.
   */
  async tick(now: Date = (this.deps.now ?? (() => new Date()))()): Promise<TickResult> {
    const result: TickResult = { posted: [], failed: [] };
    const poster = this.deps.poster();
    if (!this.deps.runStandup || !poster) return result;
    const due = (await this.deps.store.active()).flatMap((schedule) => {
      const slot = dueSlot(schedule, now);
      return slot && !(schedule.postedSlot && schedule.postedSlot >= slot) ? [{ schedule, slot }] : [];
    });
    let next = 0;
    const worker = async () => {
      while (next < due.length) {
        const { schedule, slot } = due[next++]!;
        await this.#slot(schedule, slot, now, poster, result);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#concurrency, due.length) }, worker));
    return result;
  }

  async #slot(schedule: Schedule, slot: Date, now: Date, poster: StandupPoster, result: TickResult): Promise<void> {
    const where = { scheduleId: schedule.id, channelId: schedule.channelId, slot };
    const log = this.#log.child({ scheduleId: schedule.id, channel: schedule.channelId, slot: slot.toISOString() });
    try {
      const store = this.deps.store;
      const fresh = await store.claim(schedule.id, slot, now);
      const retry = !fresh && (await store.reclaim(schedule.id, slot, now, this.#leaseMs, this.#maxAttempts));
      if (!fresh && !retry) return;
      const key = slotKey(schedule.id, slot);
      // A retry may follow a crash after the post landed: look before posting again.
      const found = retry ? await poster.findByKey(schedule.channelId, undefined, key) : undefined;
      if (!found) {
        const body = await this.#standup(schedule, now);
        await poster.postMessage(schedule.channelId, undefined, withFooter(body, schedule), { key });
      }
      await store.markPosted(schedule.id, slot);
      log.info({ retry, found: found !== undefined }, "scheduled standup posted");
      result.posted.push(where);
    } catch (error) {
      // Slack refused (not in the channel, archived…): another attempt would be refused too.
      if (error instanceof SlackRefusedError) await this.deps.store.giveUp(schedule.id, slot, this.#maxAttempts).catch(() => undefined);
      log.warn({ err: error }, error instanceof SlackRefusedError ? "Slack refused the scheduled standup; giving up this slot" : "scheduled standup failed; a later tick retries it");
      result.failed.push({ ...where, error });
    }
  }

  async #standup(schedule: Schedule, now: Date): Promise<{ text: string; blocks: unknown[] }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StandupTimeoutError(this.#timeoutMs)), this.#timeoutMs);
    });
    try {
      return await Promise.race([this.deps.runStandup!({ teamId: schedule.slackTeamId, channelId: schedule.channelId, now }), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Says where the message came from and how to stop it, under the standup's own blocks. */
function withFooter(body: { text: string; blocks: unknown[] }, schedule: Schedule): MessageBody {
  const note = `Scheduled standup, ${describeWhen(schedule.days, schedule.time)} (${schedule.timeZone}) · \`/piper standup off\` stops it`;
  const blocks = body.blocks ?? [];
  // Slack takes at most 50 blocks: a full standup goes without the note rather than not at all.
  if (blocks.length === 0 || blocks.length >= 50) return blocks.length === 0 ? { text: body.text } : { text: body.text, blocks };
  return { text: body.text, blocks: [...blocks, { type: "context", elements: [{ type: "mrkdwn", text: note }] }] };
}
