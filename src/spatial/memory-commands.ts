// What a message asks Piper to remember or forget about its room, read by patterns (no model): link a repository, note a fact, forget one, forget all.
import { extractEntities } from "../routing/entities.js";

export type MemoryCommand =
  /** "this channel is acme/web", "link this channel to acme/web", "this room is for acme/mobile". */
  | { kind: "link"; repo: string }
  /** "remember that we deploy on tuesdays", "remember: …", "keep in mind that …". `fact` is the person's words, tidied. */
  | { kind: "remember"; fact: string }
  /** "forget the linked repo", "unlink acme/web from this channel". `repo` when one was named. */
  | { kind: "unlink"; repo?: string }
  /** "forget everything", "clear your memory for this room". */
  | { kind: "forget_all" }
  /** "forget that we deploy on tuesdays": the words that name the fact. */
  | { kind: "forget"; text: string }
  /** "the default repo is acme/web", "make acme/web the default project": the workspace's, not the room's. */
  | { kind: "default_repo"; repo: string }
  /** "I am octocat on GitHub", "my GitHub login is octocat": the asker's own login, for the standup. The person's, not the room's. */
  | { kind: "github_login"; login: string }
  /** "forget my GitHub login". */
  | { kind: "forget_github_login" };

/** A fact longer than this is cut: memory is for short facts, not documents. */
export const MAX_FACT_CHARS = 500;

const ROOM = String.raw`(?:this|the|our)\s+(?:channel|room|conversation|chat)`;
/** Polite openers and Piper's name: "hey piper, please …", "can you …", "pls". */
const OPENER = /^(?:(?:hey|hi|ok|okay|so|also|and|oh)\b[\s,]*)?(?:@?piper\b[\s,:]*)?(?:(?:please|pls|plz|kindly|could you|can you|would you|will you)\b[\s,]*)*/i;
const CLOSER = /[\s,]*(?:\b(?:please|pls|plz|thanks|thank you|thx|ty)\b[\s,.!]*)*[\s.!?]*$/i;

/** "remember", "keep in mind", "note", "make a note", "save this", "store this", "don't forget", each optionally "for this channel". */
const REMEMBER = new RegExp(
  String.raw`^(?:remember|rememebr|remeber|keep in mind|(?:make a )?note(?: for later)?|save(?: this)?|store(?: this)?|don't forget|do not forget|note to self)\b` +
    String.raw`(?:\s+(?:this\s+)?(?:for|in|about)\s+(?:${ROOM}|here))?\s*(?:that\b\s*|this\s*(?=:))?[:,—–-]?\s*(.+)$`,
  "i",
);
/** The repository a room is about: "this channel is acme/web", "this room's repo is …", "this channel = …", "…tracks …". */
const LINK_STATEMENT = new RegExp(
  String.raw`^(?:from now on,?\s+)?(?:${ROOM}|here|in here)(?:'s\s+(?:default\s+)?(?:repo|repository|project))?\s+(?:is\s+(?:now\s+)?(?:for\s+|about\s+|linked\s+to\s+)?|=\s*|tracks\s+|belongs\s+to\s+|covers\s+|goes\s+with\s+)(?:the\s+)?(?:repo\s+|repository\s+)?(\S+?)(?:\s+(?:repo|repository))?$`,
  "i",
);
const LINK_VERB = new RegExp(String.raw`^(?:link|connect|associate|tie|map)\s+(?:${ROOM}|here|it)\s+(?:to|with)\s+(?:the\s+)?(?:repo\s+|repository\s+)?(\S+?)(?:\s+(?:repo|repository))?$`, "i");

/** The workspace's default repository, for requests from rooms not linked to one. */
const DEFAULT_STATEMENT = new RegExp(
  String.raw`^(?:the\s+|our\s+)?(?:workspace(?:'s)?\s+|team(?:'s)?\s+)?default\s+(?:repo|repository|project)(?:\s+for\s+(?:the\s+)?(?:workspace|team|everything))?\s+(?:is|=|should be)\s+(?:now\s+)?(\S+)$`,
  "i",
);
const DEFAULT_VERB = new RegExp(
  String.raw`^(?:make|set|use)\s+(\S+)\s+(?:as\s+)?(?:the\s+|our\s+)?(?:workspace(?:'s)?\s+|team(?:'s)?\s+)?default(?:\s+(?:repo|repository|project))?$|^set\s+(?:the\s+)?default\s+(?:repo|repository|project)\s+to\s+(\S+)$`,
  "i",
);

/** A GitHub login: letters, digits and single hyphens, at most 39 characters (GitHub's rule). */
const LOGIN = String.raw`@?([a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,38})`;
const GITHUB = String.raw`(?:github|gh)`;
/** "I am octocat on GitHub", "I'm @octocat on GH", "on GitHub I'm octocat", "my GitHub login/username/handle is octocat". */
const GITHUB_LOGIN = new RegExp(
  String.raw`^(?:(?:i am|i'm|im)\s+${LOGIN}\s+on\s+${GITHUB}|on\s+${GITHUB},?\s+(?:i am|i'm|im)\s+${LOGIN}|my\s+${GITHUB}\s+(?:login|username|user name|user|handle|account|name)\s+is\s+${LOGIN})$`,
  "i",
);
const FORGET_GITHUB_LOGIN = new RegExp(String.raw`^(?:forget|remove|delete|drop|clear)\s+my\s+${GITHUB}\s+(?:login|username|user name|user|handle|account|name)$`, "i");

const FORGET_ALL = new RegExp(
  String.raw`^(?:forget|clear|reset|wipe|erase|delete)\s+(?:everything|all|it all|your memory|all your memory|all of it|what you (?:know|remember|have stored|'ve stored|stored|have saved|saved)|everything you (?:know|remember))(?:\s+(?:about|for|of|in)\s+(?:${ROOM}|here))?$`,
  "i",
);
const UNLINK = new RegExp(
  String.raw`^(?:(?:forget|remove|drop|delete|clear)\s+(?:the\s+|this\s+)?(?:(?:linked\s+)?(?:repo|repository)(?:\s+link)?|link(?:ed)?\s+(?:repo|repository)|(?:repo|repository)\s+link|link)(?:\s+(?:for|of|on|in)\s+(?:${ROOM}|here))?|unlink\s+(?:${ROOM}|here|it)(?:\s+from\s+(\S+))?|unlink\s+(\S+)\s+from\s+(?:${ROOM}|here)|unlink\s+(\S+)|unlink)$`,
  "i",
);
const FORGET = new RegExp(
  String.raw`^(?:forget|forgt|remove|delete|drop|erase)\s+(?:(?:the\s+)?(?:fact|note|thing)\s+(?:you\s+(?:saved|stored|have)\s+)?(?:about|that)\s+|(?:that|about)\s+)?(.+?)(?:,?\s+(?:for|in|from)\s+(?:${ROOM}|here))?$`,
  "i",
);

/**
 * The command in a message, or undefined when it isn't one of the forms above. `text` is the normalized
 * message (normalizeSlackText's text: markup already read), so a linked repo in `<https://github.com/…>`
 * arrives as its label or URL.
 */
export function memoryCommand(text: string): MemoryCommand | undefined {
  const said = tidy(text);
  if (said === "") return undefined;
  const login = githubLoginIn(said);
  if (login) return login;
  if (FORGET_GITHUB_LOGIN.test(said)) return { kind: "forget_github_login" };
  if (FORGET_ALL.test(said)) return { kind: "forget_all" };
  const unlink = UNLINK.exec(said);
  if (unlink) {
    const named = unlink[1] ?? unlink[2] ?? unlink[3];
    if (named === undefined) return { kind: "unlink" };
    const repo = repoIn(named);
    return repo ? { kind: "unlink", repo } : undefined;
  }
  const link = linkIn(said);
  if (link) return link;
  const byDefault = DEFAULT_STATEMENT.exec(said) ?? DEFAULT_VERB.exec(said);
  if (byDefault) {
    const repo = repoIn(byDefault[1] ?? byDefault[2] ?? "");
    return repo ? { kind: "default_repo", repo } : undefined;
  }
  const forget = FORGET.exec(said);
  if (forget) {
    const what = stripEnds(forget[1]!);
    if (what === "" || /^(?:it|that|this)$/i.test(what)) return undefined;
    // "forget acme/legacy-web for this channel": a repository alone is the link.
    const repo = repoIn(what);
    if (repo && repo.toLowerCase() === what.toLowerCase()) return { kind: "unlink", repo };
    return { kind: "forget", text: what };
  }
  const remember = REMEMBER.exec(said);
  if (remember) {
    const fact = stripEnds(remember[1]!);
    if (fact === "" || /^(?:it|that|this)$/i.test(fact)) return undefined;
    // "remember that this channel is acme/web" is the link, not a note about it; "remember that I'm octocat on GitHub" the login.
    return linkIn(fact) ?? githubLoginIn(fact) ?? { kind: "remember", fact: fact.slice(0, MAX_FACT_CHARS) };
  }
  return undefined;
}

function githubLoginIn(said: string): MemoryCommand | undefined {
  const match = GITHUB_LOGIN.exec(said.replace(/[.!]+$/, ""));
  const login = match && (match[1] ?? match[2] ?? match[3]);
  return login ? { kind: "github_login", login } : undefined;
}

function linkIn(said: string): MemoryCommand | undefined {
  const match = LINK_STATEMENT.exec(said) ?? LINK_VERB.exec(said);
  if (!match) return undefined;
  const repo = repoIn(match[1]!);
  return repo ? { kind: "link", repo } : undefined;
}

/** The one repository in a word, by the entity extractor's rule (so "and/or" or "src/index.ts" never link). */
function repoIn(word: string): string | undefined {
  const cleaned = word.replace(/^[("'“‘`]+|[)"'”’`,.!?;:]+$/g, "");
  const repos = extractEntities({ raw: cleaned, text: cleaned, people: [], rooms: [], links: [], broadcasts: [] }, { knownProjects: [], now: EPOCH, timeZone: "UTC" }).repos;
  return repos.length === 1 ? repos[0] : undefined;
}
const EPOCH = new Date(0);

function tidy(text: string): string {
  return text.replace(/\s+/g, " ").replace(/[’‘]/g, "'").trim().replace(OPENER, "").replace(CLOSER, "").trim();
}

/** The fact's own words: no quotes around it, no full stop after it. */
function stripEnds(fact: string): string {
  return fact
    .trim()
    .replace(/^["“'‘`]+|["”'’`]+$/g, "")
    .replace(/[\s,;:.!?]+$/, "")
    .replace(CLOSER, "")
    .trim();
}
