// Posts to a slash command's response_url (valid 30 minutes, 5 uses): the only way to answer a command after a restart.
import { fallbackText, toSections } from "./format.js";

export type ResponseType = "ephemeral" | "in_channel";

export type RespondToUrl = (url: string, responseType: ResponseType, text: string) => Promise<void>;

export function respondToUrl(fetchFn: typeof fetch = fetch): RespondToUrl {
  return async (url, responseType, text) => {
    const res = await fetchFn(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ response_type: responseType, text: fallbackText(text), blocks: toSections(text) }),
      signal: AbortSignal.timeout(10_000),
    });
    // The URL itself is a credential of sorts: never put it in an error message.
    if (!res.ok) throw new Error(`response_url answered HTTP ${res.status}`);
  };
}
