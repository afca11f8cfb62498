// A Notion API fake for the real @notionhq/client: pages, block children and data-source queries, with Notion's error objects.
import { randomUUID } from "node:crypto";
import { startFakeServer, type FakeRequest, type FakeServer } from "./fake-server.js";

export interface NotionFake extends FakeServer {
  token: string;
  /** Seeded containers: a roadmap data source (database) and a notes page. */
  ids: { roadmap: string; notes: string };
  pages: Map<string, FakePage>;
  failNext(times: number, status: number, code: string, message?: string): void;
  rateLimitNext(retryAfterSeconds: number, times?: number): void;
}

export interface FakePage { id: string; parent: Record<string, string>; title: string; children: unknown[]; createdTime: string }

const error = (status: number, code: string, message: string) => ({ status, body: { object: "error", status, code, message, request_id: randomUUID() } });

export async function startNotionFake(options: { token?: string; port?: number } = {}): Promise<NotionFake> {
  const token = options.token ?? "ntn_fake_token";
  const ids = { roadmap: "8a6f3c1e-2b7d-4f0a-9c55-0d1e2f3a4b5c", notes: "1f2e3d4c-5b6a-4789-8a9b-0c1d2e3f4a5b" };
  const pages = new Map<string, FakePage>();
  const containers = new Set([ids.roadmap, ids.notes]);
  const authed = (req: FakeRequest) => req.headers.authorization === `Bearer ${token}`;
  const unauthorized = error(401, "unauthorized", "API token is invalid.");
  const pageJson = (p: FakePage) => ({
    object: "page", id: p.id, created_time: p.createdTime, last_edited_time: p.createdTime, archived: false, in_trash: false,
    parent: p.parent, url: `https://www.notion.so/${p.title.replace(/\W+/g, "-")}-${p.id.replaceAll("-", "")}`,
    properties: { title: { id: "title", type: "title", title: [{ type: "text", text: { content: p.title }, plain_text: p.title }] } },
  });

  const server = await startFakeServer([
    [
      "POST",
      /^\/v1\/pages$/,
      (req) => {
        if (!authed(req)) return unauthorized;
        const body = (req.body ?? {}) as { parent?: Record<string, string>; properties?: Record<string, { title?: Array<{ text?: { content?: string } }> }>; children?: unknown[] };
        const parentId = body.parent?.data_source_id ?? body.parent?.database_id ?? body.parent?.page_id;
        if (!body.parent || !parentId) return error(400, "validation_error", "body failed validation: body.parent should be defined, instead was `undefined`.");
        if (!containers.has(parentId)) return error(404, "object_not_found", `Could not find page with ID: ${parentId}. Make sure the relevant pages and databases are shared with your integration.`);
        const title = Object.values(body.properties ?? {})[0]?.title?.[0]?.text?.content ?? "Untitled";
        // Notion rounds created_time down to the minute.
        const createdTime = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
        const page = { id: randomUUID(), parent: { type: Object.keys(body.parent)[0]!, ...body.parent }, title, children: body.children ?? [], createdTime };
        pages.set(page.id, page);
        containers.add(page.id);
        return { status: 200, body: pageJson(page) };
      },
    ],
    [
      "GET",
      /^\/v1\/blocks\/([^/]+)\/children$/,
      (req, [blockId]) => {
        if (!authed(req)) return unauthorized;
        if (!containers.has(blockId!)) return error(404, "object_not_found", `Could not find block with ID: ${blockId}. Make sure the relevant pages and databases are shared with your integration.`);
        // A page's child pages are child_page blocks among its children.
        const childPages = [...pages.values()]
          .filter((p) => p.parent.page_id === blockId)
          .map((p) => ({ object: "block", id: p.id, type: "child_page", child_page: { title: p.title }, created_time: p.createdTime, last_edited_time: p.createdTime, has_children: p.children.length > 0, in_trash: false }));
        const results = [...(pages.get(blockId!)?.children ?? []), ...childPages];
        return { status: 200, body: { object: "list", results, next_cursor: null, has_more: false, type: "block", block: {} } };
      },
    ],
    [
      "PATCH",
      /^\/v1\/blocks\/([^/]+)\/children$/,
      (req, [blockId]) => {
        if (!authed(req)) return unauthorized;
        if (!containers.has(blockId!)) return error(404, "object_not_found", `Could not find block with ID: ${blockId}. Make sure the relevant pages and databases are shared with your integration.`);
        const children = ((req.body as { children?: Array<{ type?: string }> })?.children ?? []).map((c) => ({ object: "block", id: randomUUID(), type: c.type, ...c, has_children: false }));
        pages.get(blockId!)?.children.push(...children);
        return { status: 200, body: { object: "list", results: children, next_cursor: null, has_more: false, type: "block", block: {} } };
      },
    ],
    [
      "POST",
      /^\/v1\/data_sources\/([^/]+)\/query$/,
      (req, [id]) => {
        if (!authed(req)) return unauthorized;
        if (id !== ids.roadmap) return error(404, "object_not_found", `Could not find data_source with ID: ${id}.`);
        const results = [...pages.values()].filter((p) => Object.values(p.parent).includes(id!)).map(pageJson);
        return { status: 200, body: { object: "list", results, next_cursor: null, has_more: false, type: "page_or_data_source", page_or_data_source: {} } };
      },
    ],
  ], { port: options.port });

  return Object.assign(server, {
    token,
    ids,
    pages,
    failNext(times: number, status: number, code: string, message = "Something went wrong.") {
      server.push(() => error(status, code, message), times);
    },
    rateLimitNext(retryAfterSeconds: number, times = 1) {
      server.push(() => ({ ...error(429, "rate_limited", "You have been rate limited. Please try again in a few minutes."), headers: { "retry-after": String(retryAfterSeconds) } }), times);
    },
  });
}
