// Piper's Events API handlers are dispatched by type from one Bolt global middleware: each event reaches the handlers
// of its type and stops there; other events and other kinds of requests still reach Bolt's listeners.
import { App, LogLevel, type Receiver } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { EventTable } from "../../src/slack/listeners/event-table.js";

/** A real Bolt App, fed requests directly (no HTTP): the same processing a receiver triggers. */
function boltApp() {
  const receiver: Receiver = { init: () => undefined, start: async () => undefined, stop: async () => undefined };
  const app = new App({ receiver, authorize: async () => ({ botToken: "xoxb-test", botId: "B_PIPER", botUserId: "U_PIPER" }), logLevel: LogLevel.ERROR });
  const errors: unknown[] = [];
  app.error(async (err) => void errors.push(err));
  const deliver = (event: Record<string, unknown>, n = 1) =>
    app.processEvent({ body: { type: "event_callback", team_id: "T1", api_app_id: "A1", event_id: `Ev${n}`, event_time: 1, event }, ack: async () => undefined });
  return { app, errors, deliver };
}

const mention = { type: "app_mention", user: "U1", text: "<@U_PIPER> hi", channel: "C1", ts: "1.1" };
const message = { type: "message", user: "U1", text: "hello", channel: "C1", ts: "1.2" };

describe("EventTable", () => {
  it("gives each event to the handlers of its type, with Bolt's listener arguments", async () => {
    const { app, deliver } = boltApp();
    const table = new EventTable();
    const seen: string[] = [];
    table.event("app_mention", async ({ event, say, client }) => void seen.push(`mention:${event.type}:${typeof say}:${typeof client.chat.postMessage}`));
    table.event("message", async ({ event, message: m }) => void seen.push(`message:${event.type}:${m === event}`));
    table.attach(app);
    await deliver(message, 1);
    await deliver(mention, 2);
    expect(seen).toEqual(["message:message:true", "mention:app_mention:function:function"]);
  });

  it("handles its events without running Bolt's listener chains; other events still reach them", async () => {
    const { app, deliver } = boltApp();
    const table = new EventTable();
    table.event("app_mention", async () => undefined);
    table.attach(app);
    const listenerSaw: string[] = [];
    app.event(/.*/, async ({ event }) => void listenerSaw.push(event.type));
    await deliver(mention, 1);
    await deliver({ type: "team_join", user: { id: "U2" } }, 2);
    expect(listenerSaw).toEqual(["team_join"]);
  });

  it("runs every handler of a type even when one fails, then reports the failure to Bolt's error handler", async () => {
    const { app, errors, deliver } = boltApp();
    const table = new EventTable();
    const ran: string[] = [];
    table.event("channel_rename", async () => {
      ran.push("first");
      throw new Error("first failed");
    });
    table.event("channel_rename", async () => void ran.push("second"));
    table.attach(app);
    await deliver({ type: "channel_rename", channel: { id: "C1", name: "renamed" } });
    expect(ran).toEqual(["first", "second"]);
    expect(errors).toHaveLength(1);
    expect(String((errors[0] as { original?: unknown }).original ?? errors[0])).toContain("first failed");
  });
});
