// /piper <subcommand | free text>: acked at once, answered through response_url.
import { randomUUID } from "node:crypto";
import type { App, RespondArguments } from "@slack/bolt";
import type { Logger } from "../../logger.js";
import { helpText, isSubcommand } from "../../routing/help.js";
import type { Router } from "../../routing/router.js";
import { fallbackText, toSections } from "../format.js";
import { roomKind, slashCommandSchema, type Inbound } from "../inbound.js";
import type { ThreadResponder } from "../responder.js";
import { QueueFullError, type ThreadOrderedQueue } from "../work-queue.js";

export interface SlashDeps {
  router: Router;
  queue: ThreadOrderedQueue;
  responder: ThreadResponder;
  logger: Logger;
}

/** Subcommands whose answer is for the whole channel; everything else is shown only to the person who asked. */
const IN_CHANNEL = new Set(["standup"]);

export function registerSlashCommand(app: App, deps: SlashDeps, command = "/piper"): void {
  app.command(command, async ({ command: raw, ack, respond }) => {
    const parsed = slashCommandSchema.safeParse(raw);
    if (!parsed.success) {
      await ack({ response_type: "ephemeral", text: "Sorry, I couldn't read that command. Try `/piper help`." });
      return;
    }
    const cmd = parsed.data;
    const text = cmd.text.trim();
    const words = text.split(/\s+/).filter(Boolean);
    const first = words[0]?.toLowerCase() ?? "";

    if (words.length === 0 || first === "help") {
      await ack(ephemeral(helpText()));
      return;
    }
    // One unknown word is almost always a mistyped subcommand; say so rather than guess.
    if (words.length === 1 && !isSubcommand(first)) {
      await ack(ephemeral(helpText(`I don't know \`${command} ${escape(first)}\`. Here's what I can do:`)));
      return;
    }
    await ack();

    const inbound: Inbound = {
      id: `slash-${randomUUID()}`,
      source: "slash",
      territory: cmd.team_id,
      room: { id: cmd.channel_id, kind: roomKind(cmd.channel_id) },
      user: cmd.user_id,
      text,
      history: [],
    };
    const log = deps.logger.child({ eventId: inbound.id });
    const responseType = IN_CHANNEL.has(first) ? "in_channel" : "ephemeral";
    try {
      deps.queue.enqueue(`slash:${cmd.channel_id}:${cmd.user_id}`, async () => {
        const answer = await deps.responder.compute(inbound, deps.router);
        await respond({ response_type: responseType, text: fallbackText(answer.text), blocks: toSections(answer.text) as never }).catch(
          (err: unknown) => log.error({ err }, "could not answer slash command through response_url"),
        );
      });
    } catch (err) {
      if (!(err instanceof QueueFullError)) throw err;
      await respond(ephemeral(err.userMessage)).catch((e: unknown) => log.error({ err: e }, "could not send busy answer"));
    }
  });
}

function ephemeral(text: string): RespondArguments & { response_type: "ephemeral" } {
  return { response_type: "ephemeral", text: fallbackText(text), blocks: toSections(text) as never };
}

function escape(word: string): string {
  return word.replace(/[`<>&]/g, "");
}
