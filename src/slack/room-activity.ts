// Keeps Room.lastActivityAt current without a write per message: the latest time per room, flushed in one statement.
import type { SqlExecutor } from "../db/sql.js";
import type { Logger } from "../logger.js";

export class RoomActivity {
  readonly #latest = new Map<string, Date>();
  readonly #timer: NodeJS.Timeout;
  #flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly sql: SqlExecutor,
    private readonly logger: Logger,
    flushEveryMs = 2_000,
  ) {
    this.#timer = setInterval(() => void this.flush(), flushEveryMs);
    this.#timer.unref();
  }

  /** O(1), no I/O: remembered until the next flush. */
  touch(roomId: string, at: Date): void {
    const known = this.#latest.get(roomId);
    if (!known || known < at) this.#latest.set(roomId, at);
  }

  flush(): Promise<void> {
    this.#flushing = this.#flushing.then(async () => {
      if (this.#latest.size === 0) return;
      const ids = [...this.#latest.keys()];
      const times = ids.map((id) => this.#latest.get(id)!.toISOString());
      this.#latest.clear();
      await this.sql
        .executeSql(
          `UPDATE "Room" SET "lastActivityAt" = GREATEST(COALESCE("lastActivityAt", v.at), v.at), "updatedAt" = now()
           FROM (SELECT unnest($1::text[]) AS id, unnest($2::timestamptz[]) AS at) v WHERE "Room".id = v.id`,
          [ids, times],
        )
        .catch((err: unknown) => this.logger.warn({ err, rooms: ids.length }, "could not record room activity"));
    });
    return this.#flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
  }
}
