// Piper's Events API handlers sit behind one Bolt listener: each event reaches the handlers of its type, and only those.
import type { App } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { EventTable } from "../../src/slack/listeners/event-table.js";

/** What Bolt would hold: the pattern and listener each app.event call registered. */
function recordingApp() {
  const listeners: Array<{ pattern: unknown; listener: (args: unknown) => Promise<void> }> = [];
  const app = { event: (pattern: unknown, listener: (args: unknown) => Promise<void>) => listeners.push({ pattern, listener }) } as unknown as App;
  return { app, listeners };
}

describe("EventTable", () => {
  it("registers one listener whose pattern matches exactly the types handled, and dispatches by type", async () => {
    const table = new EventTable();
    const seen: string[] = [];
    table.event("app_mention", async ({ event }) => void seen.push(`mention:${event.type}`));
    table.event("message", async ({ event }) => void seen.push(`message:${event.type}`));
    table.event("message.channels" as string, async () => void seen.push("dotted"));
    const { app, listeners } = recordingApp();
    table.attach(app);
    expect(listeners).toHaveLength(1);
    const pattern = listeners[0]!.pattern as RegExp;
    expect(["app_mention", "message", "message.channels"].every((t) => pattern.test(t))).toBe(true);
    expect(["app_mentions", "xmessage", "messageXchannels", "app_home_opened"].some((t) => pattern.test(t))).toBe(false);
    await listeners[0]!.listener({ event: { type: "message" } });
    await listeners[0]!.listener({ event: { type: "app_mention" } });
    expect(seen).toEqual(["message:message", "mention:app_mention"]);
  });

  it("runs every handler of a type even when one fails, then reports the failure to Bolt", async () => {
    const table = new EventTable();
    const ran: string[] = [];
    table.event("channel_rename", async () => {
      ran.push("first");
      throw new Error("first failed");
    });
    table.event("channel_rename", async () => void ran.push("second"));
    const { app, listeners } = recordingApp();
    table.attach(app);
    await expect(listeners[0]!.listener({ event: { type: "channel_rename" } })).rejects.toThrow("first failed");
    expect(ran).toEqual(["first", "second"]);
  });
});
