// One Bolt listener for every Events API type Piper handles, dispatched here by the event's type.
import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from "@slack/bolt";

export type EventHandler<T extends string> = (args: SlackEventMiddlewareArgs<T> & AllMiddlewareArgs) => Promise<void>;

/**
 * Bolt runs every registered listener's middleware chain for every request it receives, whether or not
 * the listener wants it: six `app.event` listeners cost six chains per event, twice per mention (Slack
 * sends a `message` and an `app_mention`). Registered here instead, they are one chain and a map lookup.
 */
export class EventTable {
  readonly #handlers = new Map<string, Array<EventHandler<string>>>();

  event<T extends string>(type: T, handler: EventHandler<T>): void {
    const list = this.#handlers.get(type) ?? [];
    list.push(handler as unknown as EventHandler<string>);
    this.#handlers.set(type, list);
  }

  /** Registers the one Bolt listener; call once, after every handler is in the table. */
  attach(app: App): void {
    const types = [...this.#handlers.keys()].map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    if (types.length === 0) return;
    app.event(new RegExp(`^(?:${types.join("|")})$`), async (args) => {
      const handlers = this.#handlers.get(args.event.type);
      if (!handlers) return;
      if (handlers.length === 1) return handlers[0]!(args);
      // Like Bolt's own listeners: all run, and a failure in one doesn't stop the others.
      const failed = (await Promise.allSettled(handlers.map((h) => h(args)))).find((r) => r.status === "rejected");
      if (failed) throw (failed as PromiseRejectedResult).reason;
    });
  }
}
