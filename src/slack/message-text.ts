// Slack mrkdwn, read once: the plain words classifiers and models see, plus the people, rooms, links
// and broadcasts the markup named; and the guard that keeps anything Piper posts from pinging anyone.
import { escapeMrkdwn } from "./format.js";

export interface NormalizedText {
  raw: string;
  /** Plain text for classifiers and models: markup replaced by readable words, entities decoded, whitespace collapsed. */
  text: string;
  /** User ids from `<@U…>` / `<@W…>` (with or without `|label`), in order, unique. */
  people: string[];
  /** Channels from `<#C…|name>` / `<#C…>`, in order, unique by id. */
  rooms: Array<{ id: string; name?: string }>;
  /** Links from `<https://…|label>`, `<http://…>`, `<mailto:…|x>`, in order, unique by URL. */
  links: Array<{ url: string; label?: string }>;
  /** `"here" | "channel" | "everyone" | "subteam:S…"` from `<!here>`, `<!channel>`, `<!everyone>`, `<!subteam^S…|@eng>`. */
  broadcasts: string[];
}

/**
 * One unit of Slack's wire format: markup `<…>` or one of the three entities Slack escapes. Markup
 * never holds `<` or `>` (Slack sends those as `&lt;`/`&gt;`), so `[^<>]*` cannot run past its end,
 * and an unclosed `<` simply fails to match and stays text. Matching markup and entities in the same
 * pass is what decodes entities *after* parsing: a literally typed `&lt;@U1&gt;` is consumed as two
 * entities around plain text and is never re-read as a mention.
 */
const UNIT = /<([^<>]*)>|&(amp|lt|gt);/g;
const DECODED: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">" };
const ID = /^[A-Z0-9]+$/;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const BROADCASTS = new Set(["here", "channel", "everyone"]);

export function normalizeSlackText(raw: string): NormalizedText {
  const people: string[] = [];
  const rooms: Array<{ id: string; name?: string }> = [];
  const links: Array<{ url: string; label?: string }> = [];
  const broadcasts: string[] = [];

  const readable = raw.replace(UNIT, (whole: string, inner: string | undefined, entity: string | undefined) => {
    if (entity !== undefined) return DECODED[entity] ?? whole;
    const bar = inner!.indexOf("|");
    const target = bar < 0 ? inner! : inner!.slice(0, bar);
    // Newer Slack payloads send `<#C1|>`: an empty label is no label.
    const label = bar < 0 ? undefined : decode(inner!.slice(bar + 1)) || undefined;
    const rest = target.slice(1);
    if (target.startsWith("@") && ID.test(rest)) {
      if (!people.includes(rest)) people.push(rest);
      return `@${label?.replace(/^@/, "") ?? rest}`;
    }
    if (target.startsWith("#") && ID.test(rest)) {
      const known = rooms.find((room) => room.id === rest);
      if (!known) rooms.push(label ? { id: rest, name: label } : { id: rest });
      else if (label && !known.name) known.name = label;
      return `#${label ?? rest}`;
    }
    if (target.startsWith("!") && rest.length > 0) return special(rest, label, broadcasts);
    if (SCHEME.test(target)) {
      const url = decode(target);
      if (!links.some((link) => link.url === url)) links.push(label ? { url, label } : { url });
      return label ?? url.replace(/^mailto:/i, "");
    }
    return `<${decode(inner!)}>`; // not markup Slack would send: keep it as the words it is
  });

  return { raw, text: readable.replace(/\s+/g, " ").trim(), people, rooms, links, broadcasts };
}

/** `<!…>`: broadcasts, user groups, dates, and whatever else Slack adds later (shown as its label). */
function special(command: string, label: string | undefined, broadcasts: string[]): string {
  const push = (name: string) => {
    if (!broadcasts.includes(name)) broadcasts.push(name);
  };
  if (BROADCASTS.has(command)) {
    push(command);
    return `@${command}`;
  }
  if (command.startsWith("subteam^")) {
    const id = command.slice("subteam^".length);
    push(`subteam:${id}`);
    return label ? `@${label.replace(/^@/, "")}` : `@${id}`;
  }
  if (command.startsWith("date^")) return label ?? "a date";
  return label ?? command;
}

function decode(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (_, entity: string) => DECODED[entity]!);
}

/** Every markup that can notify: user mentions `<@…>` and specials `<!…>`. Channels and URLs never do. */
const PINGS = /<([@!])([^<>|]*)(?:\|([^<>]*))?>/g;

/**
 * The last guard before Piper posts: user mentions, user groups and @here/@channel/@everyone become
 * plain words, so a reply never pings a person or a group. A user reads as `@name` (from `names`,
 * else Slack's label, else `@someone`). Dates, channel links and URLs are left alone: they never
 * notify. The result is mrkdwn (names are escaped) and defusing it again changes nothing.
 *
 * Plain `@here` only stays plain when the message is posted without `link_names`/`parse: "full"`,
 * which Piper never sets.
 */
export function defuseMentions(mrkdwn: string, names?: (userId: string) => string | undefined): string {
  return mrkdwn.replace(PINGS, (whole: string, sigil: string, target: string, label: string | undefined) => {
    const labelled = label?.replace(/^@/, "") || undefined;
    if (sigil === "@") {
      const name = names?.(target)?.replace(/^@/, "");
      return `@${name ? escapeMrkdwn(name) : (labelled ?? "someone")}`;
    }
    if (target.startsWith("date^")) return whole;
    if (target.startsWith("subteam^")) return `@${labelled ?? "group"}`;
    // here, channel, everyone — and any special Slack adds later, which might notify too.
    return `@${labelled ?? target}`;
  });
}
