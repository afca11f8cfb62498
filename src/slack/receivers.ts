// One receiver per way Slack reaches Piper; the rest of the app does not know which one it got.
import type { RequestListener } from "node:http";
import { HTTPReceiver, SocketModeReceiver, type Receiver, type Logger as SlackLogger } from "@slack/bolt";
import type { WebClientOptions } from "@slack/web-api";

export type ReceiverChoice =
  | { mode: "socket"; appToken: string }
  | { mode: "http" | "local"; signingSecret: string };

export interface BuiltReceiver {
  receiver: Receiver;
  /** For HTTP/local: mount this on Piper's server at /slack/events. Socket Mode has none. */
  httpListener?: RequestListener;
}

export function buildReceiver(choice: ReceiverChoice, clientOptions: WebClientOptions, logger: SlackLogger): BuiltReceiver {
  if (choice.mode === "socket") {
    // apps.connections.open must go to the same Slack (or emulator) as every other call.
    return { receiver: new SocketModeReceiver({ appToken: choice.appToken, logger, installerOptions: { clientOptions } }) };
  }
  // Events, slash commands and interactivity share one path; Bolt verifies the signature and
  // rejects requests whose timestamp is more than 5 minutes old.
  // processBeforeResponse: the ack is sent once the listeners return, and they return once the request
  // is recorded durably — so an acknowledged event survives a crash right after the ack.
  const receiver = new HTTPReceiver({ signingSecret: choice.signingSecret, endpoints: "/slack/events", logger, processBeforeResponse: true });
  return { receiver, httpListener: receiver.requestListener };
}
