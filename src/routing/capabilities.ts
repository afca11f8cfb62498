// What Piper can do, and what is coming: help, the Home tab, suggested prompts and "not built yet" answers all render from this list.

export interface Capability {
  /** The word after `/piper` (and the first word of a mention or DM) that asks for it. */
  subcommand?: string;
  /** How help shows it when it has no subcommand ("Send me a direct message"). */
  usage?: string;
  /** What it does, as help shows it after the usage. */
  description: string;
  /** What it lets Piper say "today I can …" about, for the answer to something not built yet. */
  canToday?: string;
  /** A message that exercises it; offered as a suggested prompt in the Messages tab. */
  example?: { title: string; message: string };
  /**
   * Only available capabilities are advertised. A planned one keeps its subcommand so asking for it
   * gets an honest "not yet" instead of "I don't know"; flip the flag when it works end to end.
   */
  available: boolean;
  /** For planned ones, the sentence that owns up to it: "Standups aren't built yet — they're coming". */
  notYet?: string;
}

export const CAPABILITIES: readonly Capability[] = [
  {
    usage: "`@piper what's blocking mobile?`",
    description: "blocked issues and stalled pull requests, or the status of a project, from GitHub",
    canToday: "say what's blocked",
    example: { title: "What's blocked?", message: "what's blocking us right now?" },
    available: true,
  },
  {
    usage: "`@piper what should I work on first?`",
    description: "open issues ranked by priority label, blockers and age",
    canToday: "rank what to work on first",
    example: { title: "What first?", message: "what should I work on first?" },
    available: true,
  },
  {
    usage: "`@piper what shipped yesterday?` · `what's due this week?`",
    description: "merged pull requests and closed issues, or milestones due, for the dates you name",
    canToday: "say what shipped or what's due",
    available: true,
  },
  {
    usage: "`@piper how many open bugs in web?` · `find issues about login`",
    description: "counts, searches and look-ups of issues and pull requests, from GitHub",
    canToday: "count and find issues",
    available: true,
  },
  {
    usage: "`@piper how do I connect Notion?`",
    description: "setup steps, from how I'm configured right now",
    available: true,
  },
  {
    subcommand: "projects",
    description: "the projects I know about: the GitHub repositories and Notion databases and pages I can see",
    canToday: "list your projects (`projects`)",
    example: { title: "Our projects", message: "projects" },
    available: true,
  },
  {
    subcommand: "health",
    description: "how my connections (Slack, GitHub, Notion, the model) are doing",
    canToday: "show how my connections are doing (`health`)",
    example: { title: "Are your connections OK?", message: "health" },
    available: true,
  },
  {
    subcommand: "help",
    description: "this list",
    example: { title: "What can you do?", message: "help" },
    available: true,
  },
  { usage: "`@piper who are you?` · `what do you store about us?`", description: "about me and the data I keep", available: true },
  { usage: "`@piper` in a channel, with any of these", description: "I answer in the thread", available: true },
  { usage: "Send me a direct message", description: "same thing, just between us", available: true },
  {
    subcommand: "standup",
    description: "a standup from GitHub: per person, what they did on the last working day, what's next and what blocks them (`standup for acme/web`; tell me `I am octocat on GitHub` to be named)",
    canToday: "write the standup from GitHub (`standup`)",
    example: { title: "Standup", message: "standup" },
    available: true,
  },
  {
    subcommand: "focus",
    description: "the channels that need your attention right now, and why (`focus #channel` pins one, `focus clear` unpins)",
    canToday: "show where attention is needed (`focus`)",
    example: { title: "What needs attention?", message: "what needs my attention?" },
    available: true,
  },
  {
    subcommand: "watch",
    description: "in a channel: I offer help there when questions wait too long or something looks urgent (`unwatch` stops it)",
    canToday: "watch a channel and offer help when it needs it (`watch`)",
    available: true,
  },
  {
    subcommand: "unwatch",
    description: "stop offering help in this channel",
    available: true,
  },
  {
    usage: "`@piper create an issue in acme/web: …` · in a thread, `turn this thread into an issue`",
    description: "a GitHub issue drafted from a sentence or a thread — created only when you click Create",
    canToday: "draft a GitHub issue for you to confirm",
    available: true,
  },
  {
    usage: "in a thread, `@piper summarize this thread` · `tl;dr`",
    description: "decisions, open questions, action items with owners, and links from the thread (without a model: lines quoted as written)",
    canToday: "summarize a thread",
    available: true,
  },
  {
    usage: "`@piper review open bugs in acme/web` · `what's stale in mobile?`",
    description: "open issues and pull requests by label and age: the oldest, the most discussed, the unowned and the stale",
    canToday: "review a project's open issues",
    available: true,
  },
  {
    usage: "`@piper plan the next sprint for acme/mobile`",
    description: "a proposal for the next milestone from priority, age, sizes and recent velocity — it changes nothing",
    canToday: "propose the next sprint",
    available: true,
  },
];

export function available(capabilities: readonly Capability[] = CAPABILITIES): Capability[] {
  return capabilities.filter((c) => c.available);
}

/** The capability a subcommand word names, built or not. */
export function capabilityFor(word: string, capabilities: readonly Capability[] = CAPABILITIES): Capability | undefined {
  const w = word.toLowerCase();
  return capabilities.find((c) => c.subcommand === w);
}

/** Messages-tab prompts: only for what works today (Slack shows at most four). */
export function suggestedPrompts(capabilities: readonly Capability[] = CAPABILITIES): Array<{ title: string; message: string }> {
  return available(capabilities)
    .flatMap((c) => (c.example ? [c.example] : []))
    .slice(0, 4);
}

/** "today I can list your projects (`projects`) and show how my connections are doing (`health`)". */
export function todayICan(capabilities: readonly Capability[] = CAPABILITIES): string {
  return `today I can ${joinAnd(available(capabilities).flatMap((c) => (c.canToday ? [c.canToday] : [])))}`;
}

export function joinAnd(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}
