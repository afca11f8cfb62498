// Slack formatting: Markdown (what LLMs write) → mrkdwn (what Slack shows), and long text → Block Kit within limits.

/** Slack's limits: section text 3000 characters, 50 blocks per message. */
export const SECTION_LIMIT = 3000;
export const BLOCK_LIMIT = 50;
/** Top-level `text` is the notification/fallback; Slack truncates long ones, so keep it short. */
export const FALLBACK_TEXT_LIMIT = 3000;

/** Escapes the three characters Slack treats as control characters in text. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** Converts common Markdown to mrkdwn, leaving code spans and fenced blocks untouched. */
export function markdownToMrkdwn(markdown: string): string {
  return markdown
    .split(/(```[\s\S]*?```|`[^`\n]*`)/g)
    .map((part, i) => (i % 2 === 1 ? part : convertProse(part)))
    .join("");
}

function convertProse(text: string): string {
  return escapeMrkdwn(text)
    .replace(/\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g, "<$2|$1>")
    .replace(/^#{1,6}\s+(.+)$/gm, "*$1*")
    .replace(/\*\*(.+?)\*\*/g, "*$1*")
    .replace(/__(.+?)__/g, "*$1*")
    .replace(/~~(.+?)~~/g, "~$1~")
    .replace(/^(\s*)[-*]\s+/gm, "$1• ");
}

/** Splits mrkdwn into section blocks of at most SECTION_LIMIT characters, breaking at paragraphs, then lines. */
export function toSections(mrkdwn: string): unknown[] {
  const chunks = splitText(mrkdwn.trim() || " ", SECTION_LIMIT);
  const blocks = chunks.map((text) => ({ type: "section", text: { type: "mrkdwn", text } }));
  if (blocks.length <= BLOCK_LIMIT) return blocks;
  const kept = blocks.slice(0, BLOCK_LIMIT - 1);
  kept.push({ type: "section", text: { type: "mrkdwn", text: "_…the rest was too long for one Slack message._" } });
  return kept;
}

export function splitText(text: string, limit: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const window = rest.slice(0, limit);
    const cut = Math.max(window.lastIndexOf("\n\n"), window.lastIndexOf("\n"));
    const at = cut > limit / 2 ? cut : Math.max(window.lastIndexOf(" "), limit / 2);
    out.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest.length > 0) out.push(rest);
  return out;
}

export function fallbackText(text: string): string {
  return text.length <= FALLBACK_TEXT_LIMIT ? text : `${text.slice(0, FALLBACK_TEXT_LIMIT - 1)}…`;
}

export interface QuoteOptions {
  /** Display name for a user id, so `<@U…>` reads as `@name`; without one it reads as `@someone`. */
  userName?: (userId: string) => string | undefined;
}

/** Slack markup (`<…>`) and the three entities Slack escapes: each is one unit that is never cut. */
const MARKUP_OR_ENTITY = /(<[^<>]*>|&(?:amp|lt|gt);)/;

/**
 * Echoes what someone wrote without re-pinging anyone: user, group and special mentions become
 * plain words (`@alice`, `@someone`, `@here`), links their label or URL; channel links stay (they
 * never notify). Then truncates to `maxChars` with "…", never inside a link, a mention or an entity.
 */
export function quoteUserText(text: string, maxChars: number, options: QuoteOptions = {}): string {
  const units: string[] = [];
  for (const [i, part] of text.split(MARKUP_OR_ENTITY).entries()) {
    if (i % 2 === 1) units.push(part.startsWith("<") ? plainMarkup(part.slice(1, -1), options) : part);
    else units.push(...Array.from(part)); // code points, so an emoji is never split
  }
  const whole = units.join("");
  if (Array.from(whole).length <= maxChars) return whole;
  let out = "";
  let length = 0;
  for (const unit of units) {
    const unitLength = Array.from(unit).length;
    if (length + unitLength > maxChars - 1) break;
    out += unit;
    length += unitLength;
  }
  return `${out.trimEnd()}…`;
}

function plainMarkup(inner: string, options: QuoteOptions): string {
  const bar = inner.indexOf("|");
  const target = bar >= 0 ? inner.slice(0, bar) : inner;
  const label = bar >= 0 ? inner.slice(bar + 1) : undefined;
  if (target.startsWith("#")) return `<${inner}>`;
  if (target.startsWith("@")) return `@${label ?? options.userName?.(target.slice(1)) ?? "someone"}`;
  if (target.startsWith("!")) {
    const command = target.slice(1);
    if (command.startsWith("subteam^")) return label ? (label.startsWith("@") ? label : `@${label}`) : "@group";
    if (command.startsWith("date^")) return label ?? "a date";
    return `@${(label ?? command).replace(/^@/, "")}`;
  }
  return label ?? target;
}
