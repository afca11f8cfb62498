// app_home_opened publishes the Home tab; assistant_thread_started offers suggested prompts in the Messages tab.
import type { Logger } from "../../logger.js";
import { suggestedPrompts } from "../../routing/capabilities.js";
import type { SlackPoster } from "../poster.js";
import { buildHomeView, type HomeViewInput } from "../home-view.js";
import type { ClaimEvent } from "./claim-events.js";
import type { EventTable } from "./event-table.js";

/** Rendered from the capability registry, so only what works today is offered. */
export const SUGGESTED_PROMPTS = suggestedPrompts();

export function registerAppHome(events: EventTable, deps: { poster: SlackPoster; homeInput: (viewer: { team: string; user: string }) => Promise<HomeViewInput>; claim: ClaimEvent; logger: Logger }): void {
  events.event("app_home_opened", async ({ event, body }) => {
    if (event.tab !== "home") return;
    if (!(await deps.claim(body.team_id, body.event_id))) return;
    try {
      await deps.poster.publishHome(event.user, buildHomeView(await deps.homeInput({ team: body.team_id, user: event.user })));
    } catch (err) {
      deps.logger.warn({ err, eventId: body.event_id }, "could not publish the Home tab");
    }
  });

  events.event("assistant_thread_started", async ({ event, body }) => {
    const thread = (event as { assistant_thread?: { channel_id?: string; thread_ts?: string } }).assistant_thread;
    if (!thread?.channel_id || !thread.thread_ts) return;
    if (!(await deps.claim(body.team_id, body.event_id))) return;
    const { channel_id: channel, thread_ts: threadTs } = thread;
    try {
      await deps.poster.call("assistant.threads.setSuggestedPrompts", (c) =>
        c.assistant.threads.setSuggestedPrompts({ channel_id: channel, thread_ts: threadTs, title: "Try asking:", prompts: SUGGESTED_PROMPTS as never }),
      );
    } catch (err) {
      deps.logger.warn({ err, eventId: body.event_id }, "could not set suggested prompts");
    }
  });
}
