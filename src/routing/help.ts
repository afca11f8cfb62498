// Help and "not built yet" answers, rendered from the capability registry: /piper help, the Home tab and unknown subcommands show them.
import { available, capabilityFor, CAPABILITIES, todayICan, type Capability } from "./capabilities.js";

/**
 * A word Piper recognises after `/piper`, working today or announced as coming. Recognised words are
 * routed (a planned one gets an honest "not yet"); anything else is a typo and gets the help list.
 */
export function isSubcommand(word: string): boolean {
  return capabilityFor(word) !== undefined;
}

export function helpText(opening?: string, capabilities: readonly Capability[] = CAPABILITIES): string {
  return [
    opening ?? "*Piper* keeps your projects moving without leaving Slack. Here's what I can do today:",
    ...available(capabilities).map((c) => `• ${c.subcommand ? `\`/piper ${c.subcommand}\`` : c.usage} — ${c.description}`),
  ].join("\n");
}

/** The answer to asking for something announced but not built; undefined when the word names nothing planned. */
export function notYetText(word: string, capabilities: readonly Capability[] = CAPABILITIES): string | undefined {
  const capability = capabilityFor(word, capabilities);
  if (!capability || capability.available) return undefined;
  return `${capability.notYet ?? `\`${capability.subcommand}\` isn't built yet — it's coming`}; ${todayICan(capabilities)}. \`help\` shows the rest.`;
}

/** The subcommands that work today, as `a`, `b` and `c`, for sentences like "For now I can show …". */
export function availableSubcommands(capabilities: readonly Capability[] = CAPABILITIES): string[] {
  return available(capabilities).flatMap((c) => (c.subcommand ? [`\`${c.subcommand}\``] : []));
}
