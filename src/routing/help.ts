// What Piper can do, in one place: /piper help, the Home tab and unknown subcommands all show this.

export const SUBCOMMANDS = ["standup", "projects", "focus", "health", "help"] as const;
export type Subcommand = (typeof SUBCOMMANDS)[number];

export function isSubcommand(word: string): word is Subcommand {
  return (SUBCOMMANDS as readonly string[]).includes(word);
}

export function helpText(opening?: string): string {
  return [
    opening ?? "*Piper* keeps your projects moving without leaving Slack. Here's what I can do:",
    "• `@piper <anything>` in a channel — I answer in the thread",
    "• Send me a direct message — same thing, just between us",
    "• `/piper standup` — a standup from recent GitHub activity",
    "• `/piper projects` — the projects I know about",
    "• `/piper focus` — where attention is needed right now",
    "• `/piper health` — how my connections (Slack, GitHub, Notion, the model) are doing",
    "• `/piper help` — this list",
  ].join("\n");
}
