// Slack request signing: v0= HMAC-SHA256 of `v0:{timestamp}:{raw body}` with the signing secret.
import { createHmac } from "node:crypto";

export function signRequest(signingSecret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const signature = `v0=${createHmac("sha256", signingSecret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
  return { "x-slack-request-timestamp": String(timestamp), "x-slack-signature": signature };
}
