// The fast path: a pattern table for messages that can mean only one thing ("hi", "thanks", "help", "projects"). Everything else is a miss.
import type { Category } from "./intent.js";

export interface PreMatch {
  category: Category;
  action: string;
}

/**
 * Each pattern must match the WHOLE message (after tidying), so anything longer or compound — "hi, can
 * you create an issue", "projects and health" — is a miss and goes to a classifier that can weigh it.
 * The seed's lesson: a pre-classifier that matched prefixes swallowed compound requests.
 */
const TABLE: ReadonlyArray<readonly [RegExp, PreMatch]> = [
  [/^(hi|hello|hey|hiya|howdy|yo|heya|hey there|hi there|hello there|good (morning|afternoon|evening)|morning|gm)( (piper|all|team|everyone|folks|y'?all))?$/, { category: "CONVERSATION", action: "greeting" }],
  [/^((thanks|thank you|thx|ty|tysm|cheers|much appreciated|appreciate it)( (so much|a lot|a ton|again|piper))*|(great|perfect|awesome|nice|cool|ok|okay),? (thanks|thank you|thx|ty))$/, { category: "CONVERSATION", action: "thanks" }],
  [/^(bye|goodbye|bye bye|see ya|see you|later|good night|gn|cya)( (piper|all|team))?$/, { category: "CONVERSATION", action: "farewell" }],
  [/^(help|help me|commands)$/, { category: "DISCOVERY", action: "help" }],
  [/^(what can you do|what do you do|what can you help with)$/, { category: "DISCOVERY", action: "what_can_you_do" }],
  [/^((list|show( me)?) (all |the |our |my )?projects|projects|project list|(what|which) projects( do we have| are there| do you know)?)$/, { category: "PORTFOLIO", action: "list_projects" }],
  [/^(health|health ?check|are you (ok|okay|healthy|up)|connections|status of (your|piper'?s?) connections)$/, { category: "STATUS", action: "health" }],
  [/^(standup|stand-up|stand up|daily standup)$/, { category: "STATUS", action: "standup" }],
  [/^(focus|what needs (my )?attention|where is attention needed)$/, { category: "PRIORITY", action: "focus" }],
  [/^(who are you|what are you|who r u|who is piper)$/, { category: "IDENTITY", action: "who_are_you" }],
  // The person's own GitHub login ("I am octocat on GitHub"): a memory write only these words make.
  [/^((i am|i'm|im) @?[a-z0-9-]+ on (github|gh)|my (github|gh) (login|username|handle) is @?[a-z0-9-]+)$/, { category: "MEMORY", action: "remember_fact" }],
];

/** The `/piper` subcommands: the first word of a slash command is a command by construction, so it decides alone. */
const SUBCOMMANDS: Readonly<Record<string, PreMatch>> = {
  help: { category: "DISCOVERY", action: "help" },
  projects: { category: "PORTFOLIO", action: "list_projects" },
  health: { category: "STATUS", action: "health" },
  standup: { category: "STATUS", action: "standup" },
  focus: { category: "PRIORITY", action: "focus" },
  watch: { category: "PRIORITY", action: "watch_room" },
  unwatch: { category: "PRIORITY", action: "unwatch_room" },
};

/** Longer than this is never "unambiguous": it has room for a second request. */
const MAX_WORDS = 6;

/**
 * `text` is the normalized message (markup already read, see normalizeSlackText). Returns undefined on
 * any doubt. `slash` marks a `/piper …` command, whose first word is taken as the subcommand.
 */
export function preClassify(text: string, options: { slash?: boolean } = {}): PreMatch | undefined {
  const tidy = tidyText(text);
  if (options.slash) {
    const first = tidy.split(" ", 1)[0] ?? "";
    if (tidy === "") return SUBCOMMANDS.help;
    const sub = SUBCOMMANDS[first];
    if (sub) return sub;
  }
  // Nothing but Piper's name is a call for help; nothing but an emoji or "?" is not clear enough to claim.
  if (tidy === "") return text.trim() === "" ? SUBCOMMANDS.help : undefined;
  if (tidy.split(" ").length > MAX_WORDS) return undefined;
  for (const [pattern, match] of TABLE) if (pattern.test(tidy)) return match;
  return undefined;
}

/**
 * Lower-case, Piper's own name and leading/trailing punctuation and emoji dropped, whitespace
 * collapsed: "Hi @piper! 👋" → "hi". Inner punctuation stays, so "projects, health" is still a miss.
 */
export function tidyText(text: string): string {
  return text
    .toLowerCase()
    .replace(/:[a-z0-9_+-]+:/g, " ")
    .replace(/(^|\s)@?piper\b[,:]?/g, " ")
    .replace(/\p{Extended_Pictographic}|\uFE0F/gu, " ")
    .replace(/[’‘]/g, "'")
    .replace(/\s+/g, " ")
    .replace(/^[\s,.!:;-]+|[\s,.!?:;-]+$/g, "")
    .trim();
}
