// Places every ambient message: workspace → territory, channel → room (kind, name), thread → a spot; feeds the attention model.
import type { Logger } from "../logger.js";
import type { AmbientMessage, AmbientObserver, RoomRenamed } from "../slack/listeners/messages.js";
import type { SlackNames } from "./names.js";
import type { AttentionModel, PlacedEvent, RoomStore } from "./room-store.js";

export interface SpatialObserverOptions {
  store: RoomStore;
  /**
   * The seam for the attention model: folds one placed event into a room's state. piper.ts passes a
   * minimal counter until src/spatial/attention.ts is plugged in.
   */
  apply: AttentionModel["apply"];
  /** Names come from Slack after the fact; absent (or before Slack is connected), rooms stay unnamed until they are. */
  names?: SlackNames | (() => SlackNames | undefined);
  /**
   * Called with each room's new state, right after a message was folded into it (when the room's row
   * was still being read, once it is). On the ack path: it must be cheap and must not block; piper.ts
   * connects OfferService.consider. A throw is logged and does not undo the update.
   */
  afterUpdate?: (territory: string, room: string, state: unknown) => void;
  logger: Logger;
}

/** Slack's ts ("1700000000.123456") as ms since the epoch. */
export function tsToMs(ts: string): number {
  const ms = Math.round(Number(ts) * 1000);
  return Number.isFinite(ms) ? ms : 0;
}

/**
 * observe() is on Bolt's ack path: a map update and, for a room or team not named yet (or whose
 * name is older than the cache's TTL), a lookup started in the background. It never throws.
 */
export class SpatialObserver implements AmbientObserver {
  #closed = false;

  constructor(private readonly options: SpatialObserverOptions) {}

  observe(message: AmbientMessage): void {
    if (this.#closed) return;
    try {
      const event: PlacedEvent = { ...message, at: tsToMs(message.ts), spot: message.threadTs ?? message.ts };
      const { store, apply } = this.options;
      store.update(message.territory, message.room, (state) => this.#after(message.territory, message.room, apply(state, event)), { at: event.at, kind: message.roomKind });
      this.#name(message.territory, message.room);
    } catch (err) {
      this.options.logger.warn({ err, room: message.room }, "could not place an ambient message");
    }
  }

  renamed(rename: RoomRenamed): void {
    if (this.#closed) return;
    try {
      this.#names()?.renamed(rename.room, rename.name);
      this.options.store.describe(rename.territory, rename.room, { name: rename.name });
    } catch (err) {
      this.options.logger.warn({ err, room: rename.room }, "could not apply a channel rename");
    }
  }

  /** Shutdown, before the store's last flush: late name answers are dropped, no new lookups start. */
  close(): void {
    this.#closed = true;
    this.#names()?.close();
  }

  #after(territory: string, room: string, state: unknown): unknown {
    const { afterUpdate } = this.options;
    if (afterUpdate && !this.#closed) {
      try {
        afterUpdate(territory, room, state);
      } catch (err) {
        this.options.logger.warn({ err, room }, "a room's after-update hook failed");
      }
    }
    return state;
  }

  #names(): SlackNames | undefined {
    const { names } = this.options;
    return typeof names === "function" ? names() : names;
  }

  #name(territory: string, room: string): void {
    const names = this.#names();
    if (!names) return;
    if (names.roomNeedsLookup(room)) {
      void names.room(room).then((info) => {
        if (info && !this.#closed) this.options.store.describe(territory, room, { name: info.name, kind: info.kind, topic: info.topic });
      });
    }
    if (names.teamNeedsLookup(territory)) {
      void names.team(territory).then((name) => {
        if (name && !this.#closed) this.options.store.nameTerritory(territory, name);
      });
    }
  }
}
