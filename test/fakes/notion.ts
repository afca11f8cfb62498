// A Notion API fake for the real @notionhq/client: pages, block children, data-source queries and search, with Notion's error objects.
import { randomUUID } from "node:crypto";
import { startFakeServer, type FakeRequest, type FakeServer } from "./fake-server.js";

export interface NotionFake extends FakeServer {
  token: string;
  /** Seeded containers: a roadmap data source (database) and a notes page. */
  ids: { roadmap: string; notes: string };
  /** Their titles, as search shows them. */
  titles: { roadmap: string; notes: string };
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
  const titles = { roadmap: "Product roadmap", notes: "Team notes" };
  /** When the seeded containers were "created": long before any test, so a recent-creation lookup never mistakes them. */
  const SEEDED_AT = "2026-01-01T00:00:00.000Z";
  const databaseId = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f";
  const seededAt = "2025-01-06T09:00:00.000Z";
  const richText = (content: string) => [{ type: "text", text: { content, link: null }, annotations: { bold: false, italic: false, strikethrough: false, underline: false, code: false, color: "default" }, plain_text: content, href: null }];
  const user = { object: "user", id: "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e" };
  // Notion's 2025-09-03 shapes: search returns full page and data_source objects.
  const roadmapJson = () => ({
    object: "data_source", id: ids.roadmap, title: richText(titles.roadmap), description: [], parent: { type: "database_id", database_id: databaseId },
    database_parent: { type: "workspace", workspace: true }, is_inline: false, in_trash: false, archived: false, created_time: seededAt, last_edited_time: seededAt,
    created_by: user, last_edited_by: user, icon: null, cover: null, url: `https://www.notion.so/${databaseId.replaceAll("-", "")}`, public_url: null,
    properties: { Name: { id: "title", name: "Name", description: null, type: "title", title: {} } },
  });
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
      /^\/v1\/search$/,
      (req) => {
        if (!authed(req)) return unauthorized;
        const body = (req.body ?? {}) as { query?: string; filter?: { property?: string; value?: string }; page_size?: number };
        const kind = body.filter?.value;
        if (body.filter && (body.filter.property !== "object" || (kind !== "page" && kind !== "data_source"))) {
          return error(400, "validation_error", "body failed validation: body.filter.value should be `\"page\"` or `\"data_source\"`.");
        }
        const notes = { title: titles.notes, json: { ...pageJson({ id: ids.notes, parent: {}, title: titles.notes, children: [], createdTime: SEEDED_AT }), parent: { type: "workspace", workspace: true } } };
        const all = [
          ...(kind !== "page" ? [{ title: titles.roadmap, json: roadmapJson() }] : []),
          ...(kind !== "data_source" ? [notes, ...[...pages.values()].map((p) => ({ title: p.title, json: pageJson(p) }))] : []),
        ];
        const matching = all.filter((r) => !body.query || r.title.toLowerCase().includes(body.query.toLowerCase()));
        const size = Math.min(body.page_size ?? 100, 100);
        return {
          status: 200,
          body: { object: "list", results: matching.slice(0, size).map((r) => r.json), next_cursor: matching.length > size ? randomUUID() : null, has_more: matching.length > size, type: "page_or_data_source", page_or_data_source: {} },
        };
      },
    ],
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
    titles,
    pages,
    failNext(times: number, status: number, code: string, message = "Something went wrong.") {
      server.push(() => error(status, code, message), times);
    },
    rateLimitNext(retryAfterSeconds: number, times = 1) {
      server.push(() => ({ ...error(429, "rate_limited", "You have been rate limited. Please try again in a few minutes."), headers: { "retry-after": String(retryAfterSeconds) } }), times);
    },
  });
}
