// The emulator's web page and the small internal endpoints it uses (not Slack API): state, live updates, composer, modals.
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody, sendJson } from "./http-util.js";
import { IDS, PEOPLE, type WorkspaceStore } from "./store.js";
import type { LocalSlack, SubmittedValues } from "./index.js";

const WEB_DIR = new URL("./web/", import.meta.url);
const STATIC: Record<string, { file: string; type: string }> = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/app.js": { file: "app.js", type: "text/javascript; charset=utf-8" },
  "/style.css": { file: "style.css", type: "text/css; charset=utf-8" },
};

/** The person using the page. */
const ME = IDS.alice;

export async function servePage(req: IncomingMessage, res: ServerResponse, url: URL, deps: { store: WorkspaceStore; slack: LocalSlack }): Promise<void> {
  const { store, slack } = deps;
  const asset = req.method === "GET" ? STATIC[url.pathname] : undefined;
  if (asset) {
    res.writeHead(200, { "content-type": asset.type, "cache-control": "no-store" });
    res.end(await readFile(new URL(asset.file, WEB_DIR)));
    return;
  }
  if (req.method === "GET" && url.pathname === "/_local/state") {
    const channels = [...store.channels.values()].filter((c) => c.kind !== "im" || c.user === ME);
    const messages = Object.fromEntries(channels.map((c) => [c.id, store.all(c.id).filter((m) => !m.ephemeral || m.for_user === ME)]));
    return sendJson(res, 200, { me: ME, botUserId: IDS.botUser, people: PEOPLE, channels, messages, home: store.homeViews.get(ME) ?? null, modal: store.modal(ME) ?? null });
  }
  if (req.method === "GET" && url.pathname === "/_local/events") {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
    res.write(": connected\n\n");
    const off = store.onChange((change) => res.write(`data: ${JSON.stringify(change)}\n\n`));
    req.on("close", off);
    return;
  }
  if (req.method === "POST" && url.pathname === "/_local/post") {
    const body = JSON.parse(await readBody(req)) as { channel: string; text: string; threadTs?: string };
    const text = body.text.replace(/(^|\s)@piper\b/gi, `$1<@${IDS.botUser}>`);
    const { ts } = await slack.postUserMessage({ channel: body.channel, user: ME, text, threadTs: body.threadTs || undefined });
    return sendJson(res, 200, { ok: true, ts });
  }
  if (req.method === "POST" && url.pathname === "/_local/command") {
    const body = JSON.parse(await readBody(req)) as { channel: string; text: string };
    const [command = "/piper", ...rest] = body.text.trim().split(/\s+/);
    const result = await slack.slashCommand({ channel: body.channel, user: ME, command, text: rest.join(" ") });
    return sendJson(res, 200, { ok: result.status >= 200 && result.status < 300, status: result.status });
  }
  if (req.method === "POST" && url.pathname === "/_local/click") {
    const body = JSON.parse(await readBody(req)) as { channel: string; ts: string; actionId: string; value?: string };
    try {
      const result = await slack.click({ channel: body.channel, ts: body.ts, actionId: body.actionId, value: body.value, user: ME });
      return sendJson(res, 200, { ok: result.status >= 200 && result.status < 300, status: result.status });
    } catch (err) {
      return sendJson(res, 404, { ok: false, error: (err as Error).message });
    }
  }
  if (req.method === "POST" && url.pathname === "/_local/submit") {
    const body = JSON.parse(await readBody(req)) as { viewId: string; values: SubmittedValues };
    try {
      const result = await slack.submitView({ user: ME, viewId: body.viewId, values: body.values });
      return sendJson(res, 200, { ok: result.status >= 200 && result.status < 300, closed: result.closed, errors: result.errors ?? null });
    } catch (err) {
      return sendJson(res, 404, { ok: false, error: (err as Error).message });
    }
  }
  if (req.method === "POST" && url.pathname === "/_local/close-view") {
    // Slack tells the app (view_closed) only when the view asked for notify_on_close; the emulator never does.
    const body = JSON.parse(await readBody(req)) as { viewId: string };
    if (store.modal(ME)?.id === body.viewId) store.setModal(ME, undefined);
    return sendJson(res, 200, { ok: true });
  }
  if (req.method === "POST" && url.pathname === "/_local/home") {
    await slack.openAppHome(ME);
    return sendJson(res, 200, { ok: true });
  }
  sendJson(res, 404, { ok: false, error: "not_found" });
}
