// /piper <subcommand | free text>: acked at once, answered through response_url.
import { randomUUID } from "node:crypto";
import type { App, RespondArguments } from "@slack/bolt";
import type { Logger } from "../../logger.js";
import { helpText, isSubcommand, notYetText } from "../../routing/help.js";
import { scheduleCommand } from "../../workflows/schedules/parse.js";
import { fallbackText, toSections } from "../format.js";
import { roomKind, slashCommandSchema, type Inbound } from "../inbound.js";
import type { Intake } from "../intake.js";

export interface SlashDeps {
  intake: Intake;
  logger: Logger;
}

/**
 * Subcommands whose answer is for the whole channel; everything else is shown only to the person who
 * asked. Watching changes what Piper does in the channel, so everyone in it is told.
 */
const IN_CHANNEL = new Set<string>(["watch", "unwatch"]);

export function registerSlashCommand(app: App, deps: SlashDeps, command = "/piper"): void {
  app.command(command, async ({ command: raw, ack }) => {
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
    // A feature that isn't built yet is answered in the ack, like help: no work, no queue.
    const notYet = words.length === 1 ? notYetText(first) : undefined;
    if (notYet) {
      await ack(ephemeral(notYet));
      return;
    }
    const inbound: Inbound = {
      // trigger_id is unique per invocation; a generated id only if Slack sent none.
      id: `slash-${cmd.trigger_id ?? randomUUID()}`,
      source: "slash",
      territory: cmd.team_id,
      room: { id: cmd.channel_id, kind: roomKind(cmd.channel_id) },
      user: cmd.user_id,
      text,
      history: [],
    };
    // Recorded before the ack goes out (the listener's return sends it): a crash now loses nothing.
    await deps.intake.acceptCommand(inbound, { url: cmd.response_url, type: IN_CHANNEL.has(first) || inChannelSchedule(text) ? "in_channel" : "ephemeral" });
    await ack();
  });
}

/** A standup schedule set, shown or stopped is the channel's business; a command Piper couldn't read is only the asker's. */
function inChannelSchedule(text: string): boolean {
  const command = scheduleCommand(text);
  return command !== undefined && command.kind !== "invalid";
}

function ephemeral(text: string): RespondArguments & { response_type: "ephemeral" } {
  return { response_type: "ephemeral", text: fallbackText(text), blocks: toSections(text) as never };
}

function escape(word: string): string {
  return word.replace(/[`<>&]/g, "");
}
