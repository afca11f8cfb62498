// Slack's size limits on a message, as chat.postMessage/chat.update enforce them (text, block count, section text).

/** chat.postMessage refuses text longer than this with msg_too_long. */
export const TEXT_LIMIT = 40_000;
export const BLOCK_LIMIT = 50;
export const SECTION_TEXT_LIMIT = 3_000;

export type LimitRefusal = { error: "msg_too_long" } | { error: "invalid_blocks"; response_metadata: { messages: string[] } };

/** The error Slack answers for a message over its limits, or undefined when the message fits. */
export function checkMessageLimits(text: string, blocks: unknown[] | undefined): LimitRefusal | undefined {
  if (text.length > TEXT_LIMIT) return { error: "msg_too_long" };
  if (!blocks) return undefined;
  // Slack reports block problems as invalid_blocks with a JSON pointer to the offending field.
  if (blocks.length > BLOCK_LIMIT) return invalidBlocks(`[ERROR] no more than ${BLOCK_LIMIT} items allowed [json-pointer:/blocks]`);
  for (const [i, block] of blocks.entries()) {
    const sectionText = (block as { type?: unknown; text?: { text?: unknown } }).text?.text;
    if ((block as { type?: unknown }).type === "section" && typeof sectionText === "string" && sectionText.length > SECTION_TEXT_LIMIT) {
      return invalidBlocks(`[ERROR] must be less than ${SECTION_TEXT_LIMIT + 1} characters [json-pointer:/blocks/${i}/text/text]`);
    }
  }
  return undefined;
}

function invalidBlocks(message: string): LimitRefusal {
  return { error: "invalid_blocks", response_metadata: { messages: [message] } };
}
