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
