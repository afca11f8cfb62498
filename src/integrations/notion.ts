// Notion through @notionhq/client: its own 429 retry kept for short waits, errors mapped, writes fail closed.
import { APIErrorCode, APIResponseError, Client, isNotionClientError, RequestTimeoutError } from "@notionhq/client";
import type { BlockObjectRequest } from "@notionhq/client/build/src/api-endpoints.js";
import { isFullPageOrDataSource, type DataSourceObjectResponse, type PageObjectResponse } from "@notionhq/client";
import { AuthenticationFailed, InvalidRequest, isIntegrationError, NotFound, PermissionDenied, RateLimited, retryAfterSeconds, ServiceUnavailable, TimedOut } from "./errors.js";
import type { ServicePolicy } from "./policy.js";
import { retryBudgetFetch } from "./retry-budget.js";
import { LastGoodCache, type Read } from "./stale-cache.js";

export type NotionParent = { kind: "database"; id: string } | { kind: "page"; id: string };

export interface NotionPage { id: string; url: string; title: string }

export interface NotionClientOptions { token?: string; baseUrl: string; timeoutMs: number; policy: ServicePolicy }

/** A page or database (data source) shared with Piper's integration. `parentType` tells a database row (`data_source_id`) from a page. */
export interface NotionSearchHit { id: string; object: "page" | "data_source"; title: string; url: string; parentType: string }

export class NotionClient {
  readonly #client: Client;
  readonly #cache = new LastGoodCache();

  constructor(private readonly options: NotionClientOptions) {
    this.#client = new Client({
      auth: options.token,
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs,
      // The SDK retries 429/overload honouring Retry-After; the wrapper keeps those waits short.
      retry: { maxRetries: 1, initialRetryDelayMs: 250, maxRetryDelayMs: 5_000 },
      fetch: retryBudgetFetch("notion", 5, "throw"),
    });
  }

  /** A write (fails closed). Databases take the page as a row; pages take it as a child page. */
  createPage(input: { parent: NotionParent; title: string; blocks?: BlockObjectRequest[] }): Promise<NotionPage> {
    const parent = input.parent.kind === "database" ? { data_source_id: input.parent.id } : { page_id: input.parent.id };
    const titleProperty = input.parent.kind === "database" ? "Name" : "title";
    return this.options.policy.execute(
      () =>
        mapErrors(`the Notion ${input.parent.kind} ${input.parent.id}`, async () => {
          const page = await this.#client.pages.create({
            parent: parent as never,
            properties: { [titleProperty]: { title: [{ type: "text", text: { content: input.title } }] } } as never,
            children: input.blocks,
          });
          return { id: page.id, url: (page as { url?: string }).url ?? "", title: input.title };
        }),
      "createPage",
    );
  }

  /** A write (fails closed). */
  appendBlocks(blockId: string, blocks: BlockObjectRequest[]): Promise<{ added: number }> {
    return this.options.policy.execute(
      () =>
        mapErrors(`the Notion block ${blockId}`, async () => {
          const res = await this.#client.blocks.children.append({ block_id: blockId, children: blocks });
          return { added: res.results.length };
        }),
      "appendBlocks",
    );
  }

  queryDatabase(dataSourceId: string, filter?: Record<string, unknown>): Promise<Read<Array<{ id: string; url: string; properties: Record<string, unknown> }>>> {
    return this.#cache.read(`query:${dataSourceId}:${JSON.stringify(filter ?? {})}`, () =>
      this.options.policy.execute(
        () =>
          mapErrors(`the Notion database ${dataSourceId}`, async () => {
            const res = await this.#client.dataSources.query({ data_source_id: dataSourceId, ...(filter ? { filter: filter as never } : {}) });
            return res.results.map((r) => ({ id: r.id, url: (r as { url?: string }).url ?? "", properties: ((r as { properties?: Record<string, unknown> }).properties ?? {}) }));
          }),
        "queryDatabase",
      ),
    );
  }

  /** A read: the first 100 pages or databases (data sources) shared with the integration, optionally by title. */
  search(input: { query?: string; filter: { property: "object"; value: "page" | "data_source" } }): Promise<Read<NotionSearchHit[]>> {
    return this.#cache.read(`search:${input.filter.value}:${input.query ?? ""}`, () =>
      this.options.policy.execute(
        () =>
          mapErrors("the pages shared with me", async () => {
            const res = await this.#client.search({ ...(input.query ? { query: input.query } : {}), filter: input.filter, page_size: 100 });
            return res.results.filter(isFullPageOrDataSource).map(toSearchHit);
          }),
        "search",
      ),
    );
  }
}

function toSearchHit(r: PageObjectResponse | DataSourceObjectResponse): NotionSearchHit {
  // A data source carries its title; a page carries it in whichever property has type "title".
  const rich = r.object === "data_source" ? r.title : (Object.values(r.properties).find((p) => p.type === "title") as { title?: Array<{ plain_text: string }> } | undefined)?.title;
  const title = (rich ?? []).map((t) => t.plain_text).join("").trim();
  return { id: r.id, object: r.object, title: title || "Untitled", url: r.url, parentType: r.parent.type };
}

async function mapErrors<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toNotionError(err, what);
  }
}

export function toNotionError(err: unknown, what: string, timeoutMs = 0): Error {
  if (isIntegrationError(err)) return err;
  if (err instanceof RequestTimeoutError) return new TimedOut("notion", timeoutMs, { cause: err });
  if (APIResponseError.isAPIResponseError(err)) {
    switch (err.code) {
      case APIErrorCode.Unauthorized:
        return new AuthenticationFailed("notion", { cause: err });
      case APIErrorCode.RestrictedResource:
        return new PermissionDenied("notion", `use ${what}`, { cause: err });
      case APIErrorCode.ObjectNotFound:
        return new NotFound("notion", what, { cause: err });
      case APIErrorCode.RateLimited:
        return new RateLimited("notion", retryAfterSeconds(headerOf(err, "retry-after")) ?? 1, { cause: err });
      case APIErrorCode.ValidationError:
      case APIErrorCode.InvalidRequest:
      case APIErrorCode.InvalidJSON:
      case APIErrorCode.InvalidRequestURL:
        return new InvalidRequest("notion", err.message, { cause: err });
      default:
        return new ServiceUnavailable("notion", `${err.status} ${err.code}`, undefined, { cause: err });
    }
  }
  if (isNotionClientError(err)) return new ServiceUnavailable("notion", err.message, undefined, { cause: err });
  return new ServiceUnavailable("notion", (err as Error)?.message ?? "network error", undefined, { cause: err });
}

function headerOf(err: APIResponseError, name: string): string | null {
  const h = (err as unknown as { headers?: Headers | Record<string, string> }).headers;
  if (!h) return null;
  return typeof (h as Headers).get === "function" ? (h as Headers).get(name) : ((h as Record<string, string>)[name] ?? null);
}
