// The idempotency key Piper writes into its messages' metadata, so a write with an unknown outcome can be found.
import { randomUUID } from "node:crypto";

export const REPLY_EVENT_TYPE = "piper_reply";

export interface ReplyMetadata {
  event_type: typeof REPLY_EVENT_TYPE;
  event_payload: { key: string };
}

export function replyMetadata(key: string): ReplyMetadata {
  return { event_type: REPLY_EVENT_TYPE, event_payload: { key } };
}

/** For writes whose caller has no natural key (a Slack event id): unique per logical write. */
export function newReplyKey(): string {
  return `piper-${randomUUID()}`;
}

export function keyOf(message: { metadata?: { event_type?: string; event_payload?: unknown } }): string | undefined {
  if (message.metadata?.event_type !== REPLY_EVENT_TYPE) return undefined;
  const key = (message.metadata.event_payload as { key?: unknown } | undefined)?.key;
  return typeof key === "string" ? key : undefined;
}
