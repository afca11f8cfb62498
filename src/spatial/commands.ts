// What the routing graph asks of the spatial layer: the focus list, and watching a room. Implemented in focus.ts and offers.ts.
import type { Reply } from "../routing/router.js";
import type { Inbound } from "../slack/inbound.js";

export interface FocusCommands {
  /** `/piper focus` (the ranked list), `/piper focus #room` (pin), `/piper focus clear` (unpin all); `text` is the normalized message. */
  focus(inbound: Inbound, text: string): Promise<Reply>;
}

export interface WatchCommands {
  /** `/piper watch` / `/piper unwatch` in a channel: Piper may (or may no longer) offer help there when risk is high. */
  watch(inbound: Inbound, on: boolean): Promise<Reply>;
}
