// Piper's Events API handlers, dispatched by the event's type from one Bolt global middleware.
import type { AllMiddlewareArgs, AnyMiddlewareArgs, App, SlackEventMiddlewareArgs } from "@slack/bolt";

export type EventHandler<T extends string> = (args: SlackEventMiddlewareArgs<T> & AllMiddlewareArgs) => Promise<void>;

/**
 * For every request, Bolt copies and runs the middleware chain of every registered listener — Piper's
 * action, view, command and event listeners alike — twice per mention (Slack sends a `message` and an
 * `app_mention`). Events are acknowledged before any middleware runs, so an event this table handles is
 * dispatched here, from a global middleware, and goes no further: one map lookup instead of four listener
 * chains (their closures and promises were a tenth of what Piper allocated per mention). Events it does not
 * handle, and every other kind of request, continue to Bolt's listeners as before. A handler's error
 * reaches Bolt's error handler as a listener's would.
 */
export class EventTable {
  readonly #handlers = new Map<string, Array<EventHandler<string>>>();

  event<T extends string>(type: T, handler: EventHandler<T>): void {
    const list = this.#handlers.get(type) ?? [];
    list.push(handler as unknown as EventHandler<string>);
    this.#handlers.set(type, list);
  }

  /** Installs the dispatching middleware; call once, after every handler is in the table. */
  attach(app: App): void {
    app.use(async (args: AnyMiddlewareArgs & AllMiddlewareArgs) => {
      const type = "event" in args && args.body.type === "event_callback" ? (args.event as { type?: unknown } | undefined)?.type : undefined;
      const handlers = typeof type === "string" ? this.#handlers.get(type) : undefined;
      if (!handlers) return args.next();
      const eventArgs = args as unknown as SlackEventMiddlewareArgs<string> & AllMiddlewareArgs;
      if (handlers.length === 1) return handlers[0]!(eventArgs);
      // Like Bolt's own listeners: all run, and a failure in one doesn't stop the others.
      const failed = (await Promise.allSettled(handlers.map((h) => h(eventArgs)))).find((r) => r.status === "rejected");
      if (failed) throw (failed as PromiseRejectedResult).reason;
    });
  }
}
