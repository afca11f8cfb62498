// Request body parsing for the emulator: Slack's Web API accepts form-encoded and JSON bodies.
import type { IncomingMessage, ServerResponse } from "node:http";

/** Fields the Slack SDK sends JSON-encoded inside form bodies. */
const JSON_FIELDS = new Set(["blocks", "attachments", "view", "prompts", "chunks", "metadata"]);

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export function parseArgs(raw: string, contentType: string, query: URLSearchParams): Record<string, unknown> {
  const args: Record<string, unknown> = Object.fromEntries(query);
  if (raw) {
    if (contentType.includes("application/json")) Object.assign(args, JSON.parse(raw) as object);
    else for (const [k, v] of new URLSearchParams(raw)) args[k] = v;
  }
  for (const key of JSON_FIELDS) {
    if (typeof args[key] === "string") {
      try {
        args[key] = JSON.parse(args[key] as string);
      } catch {
        // left as a string; the method reports invalid_arguments
      }
    }
  }
  return args;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
}

export function bearer(req: IncomingMessage, args: Record<string, unknown>): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith("Bearer ")) return auth.slice(7);
  return typeof args.token === "string" ? args.token : undefined;
}
