// Notion through @notionhq/client: requests abort with the policy's signal, SDK logs go to pino, errors mapped, writes never repeated.
import { Client, LogLevel } from "@notionhq/client";
import type { BlockObjectRequest } from "@notionhq/client/build/src/api-endpoints.js";
import { isFullPageOrDataSource, type DataSourceObjectResponse, type PageObjectResponse } from "@notionhq/client";
import type { Logger } from "../logger.js";
import { OutcomeUnknown } from "./errors.js";
import { mapErrors, notionWriteOutcomeUnknown } from "./notion-errors.js";
import type { ServicePolicy } from "./policy.js";
import { retryBudgetFetch } from "./retry-budget.js";
import { SignalScope } from "./signal-scope.js";
import { LastGoodCache, type Read } from "./stale-cache.js";

export type NotionParent = { kind: "database"; id: string } | { kind: "page"; id: string };

export interface NotionPage { id: string; url: string; title: string }

export interface NotionClientOptions { token?: string; baseUrl: string; timeoutMs: number; policy: ServicePolicy; logger: Logger }

/** How far back the unknown-outcome lookup reaches: Notion rounds created_time to the minute, and clocks drift. */
const LOOKUP_WINDOW_MS = 5 * 60_000;
/** Pages of block children the lookup reads before giving up (new child pages are appended last). */
const LOOKUP_MAX_PAGES = 10;

/** A page or database (data source) shared with Piper's integration. `parentType` tells a database row (`data_source_id`) from a page. */
export interface NotionSearchHit { id: string; object: "page" | "data_source"; title: string; url: string; parentType: string }

export class NotionClient {
  readonly #client: Client;
  readonly #cache = new LastGoodCache();
  readonly #signals = new SignalScope();
  readonly #log: Logger;

  constructor(private readonly options: NotionClientOptions) {
    const log = (this.#log = options.logger.child({ service: "notion" }));
    this.#client = new Client({
      auth: options.token,
      baseUrl: options.baseUrl,
      // Per request; the policy's own timeout (same length, started earlier) fires first and aborts it.
      timeoutMs: options.timeoutMs,
      // The SDK retries 429/overload honouring Retry-After; the wrapper keeps those waits short.
      retry: { maxRetries: 1, initialRetryDelayMs: 250, maxRetryDelayMs: 5_000 },
      fetch: retryBudgetFetch("notion", 5, "throw", this.#signals.fetch()),
      logger: (level, message, extraInfo) => log[level](extraInfo, message),
      logLevel: LogLevel.WARN,
    });
  }

  /**
   * A write (fails closed). Databases take the page as a row; pages take it as a child page. When
   * Notion may have created it but Piper got no success (a 5xx, a timeout), Piper looks in the
   * parent for a page with this title created in the last few minutes and returns it; if there is
   * none, OutcomeUnknown says so. It never sends the create again.
   */
  async createPage(input: { parent: NotionParent; title: string; blocks?: BlockObjectRequest[] }): Promise<NotionPage> {
    const parent = input.parent.kind === "database" ? { data_source_id: input.parent.id } : { page_id: input.parent.id };
    const titleProperty = input.parent.kind === "database" ? "Name" : "title";
    const what = `the Notion ${input.parent.kind} ${input.parent.id}`;
    const sentAt = Date.now();
    try {
      return await this.#call("createPage", what, async () => {
        const page = await this.#client.pages.create({
          parent: parent as never,
          properties: { [titleProperty]: { title: [{ type: "text", text: { content: input.title } }] } } as never,
          children: input.blocks,
        });
        return { id: page.id, url: (page as { url?: string }).url ?? "", title: input.title };
      });
    } catch (err) {
      if (!notionWriteOutcomeUnknown(err)) throw err;
      const description = `creating the page “${input.title}”`;
      const since = new Date(sentAt - LOOKUP_WINDOW_MS);
      const found = await this.#call("findUnconfirmedPage", what, () => this.#findCreated(input.parent, input.title, since)).catch((lookupErr: unknown) => {
        this.#log.warn({ err: lookupErr, operation: "createPage" }, "could not look for a page whose create went unconfirmed");
        throw new OutcomeUnknown("notion", description, { looked: false, cause: err });
      });
      if (!found) throw new OutcomeUnknown("notion", description, { looked: true, cause: err });
      this.#log.info({ page: found.id, operation: "createPage" }, "Notion created the page although its answer was lost");
      return found;
    }
  }

  /**
   * The page titled `title` that was created under `parent` since `since`, if there is one: how a task that may
   * already have created its page, before a crash, looks before creating it again.
   */
  findCreatedPage(parent: NotionParent, title: string, since: Date): Promise<NotionPage | undefined> {
    return this.#call("findCreatedPage", `the Notion ${parent.kind} ${parent.id}`, () => this.#findCreated(parent, title, since));
  }

  /** A write (fails closed). Its outcome can't be looked up, so an unconfirmed append says so instead of inviting a retry. */
  async appendBlocks(blockId: string, blocks: BlockObjectRequest[]): Promise<{ added: number }> {
    try {
      return await this.#call("appendBlocks", `the Notion block ${blockId}`, async () => {
        const res = await this.#client.blocks.children.append({ block_id: blockId, children: blocks });
        return { added: res.results.length };
      });
    } catch (err) {
      if (notionWriteOutcomeUnknown(err)) throw new OutcomeUnknown("notion", `adding ${blocks.length} blocks to ${blockId}`, { looked: false, cause: err });
      throw err;
    }
  }

  queryDatabase(dataSourceId: string, filter?: Record<string, unknown>): Promise<Read<Array<{ id: string; url: string; properties: Record<string, unknown> }>>> {
    return this.#cache.read(`query:${dataSourceId}:${JSON.stringify(filter ?? {})}`, () =>
      this.#call("queryDatabase", `the Notion database ${dataSourceId}`, async () => {
        const res = await this.#client.dataSources.query({ data_source_id: dataSourceId, ...(filter ? { filter: filter as never } : {}) });
        return res.results.map((r) => ({ id: r.id, url: (r as { url?: string }).url ?? "", properties: ((r as { properties?: Record<string, unknown> }).properties ?? {}) }));
      }),
    );
  }

  /** A read: the first 100 pages or databases (data sources) shared with the integration, optionally by title. */
  search(input: { query?: string; filter: { property: "object"; value: "page" | "data_source" } }): Promise<Read<NotionSearchHit[]>> {
    return this.#cache.read(`search:${input.filter.value}:${input.query ?? ""}`, () =>
      this.#call("search", "the pages shared with me", async () => {
        const res = await this.#client.search({ ...(input.query ? { query: input.query } : {}), filter: input.filter, page_size: 100 });
        return res.results.filter(isFullPageOrDataSource).map(toSearchHit);
      }),
    );
  }

  /** Runs one SDK call under the policy, with every request it makes aborted by the policy's signal. */
  #call<T>(operation: string, what: string, call: () => Promise<T>): Promise<T> {
    return this.options.policy.execute((signal) => this.#signals.run(signal, () => mapErrors(what, call)), operation);
  }

  /** The newest page titled `title` created under `parent` since `since`, if any. */
  async #findCreated(parent: NotionParent, title: string, since: Date): Promise<NotionPage | undefined> {
    if (parent.kind === "database") {
      const res = await this.#client.dataSources.query({
        data_source_id: parent.id,
        filter: { timestamp: "created_time", created_time: { on_or_after: since.toISOString() } },
        sorts: [{ timestamp: "created_time", direction: "descending" }],
        page_size: 100,
      });
      const row = res.results.find((r) => titleOf((r as { properties?: Record<string, unknown> }).properties) === title);
      return row && { id: row.id, url: (row as { url?: string }).url ?? pageUrl(row.id), title };
    }
    let match: NotionPage | undefined;
    let cursor: string | undefined;
    for (let i = 0; i < LOOKUP_MAX_PAGES; i++) {
      const res = await this.#client.blocks.children.list({ block_id: parent.id, page_size: 100, ...(cursor ? { start_cursor: cursor } : {}) });
      for (const block of res.results as Array<{ id: string; type?: string; created_time?: string; child_page?: { title?: string } }>) {
        if (block.type === "child_page" && block.child_page?.title === title && Date.parse(block.created_time ?? "") >= since.getTime()) {
          match = { id: block.id, url: pageUrl(block.id), title };
        }
      }
      if (!res.has_more || !res.next_cursor) break;
      cursor = res.next_cursor;
    }
    return match;
  }
}

function titleOf(properties: Record<string, unknown> | undefined): string | undefined {
  const title = Object.values(properties ?? {}).find((p): p is { type: "title"; title: Array<{ plain_text?: string }> } => (p as { type?: string }).type === "title");
  return title?.title.map((t) => t.plain_text ?? "").join("");
}

/** Notion resolves a page link from its id alone. */
function pageUrl(id: string): string {
  return `https://www.notion.so/${id.replaceAll("-", "")}`;
}

function toSearchHit(r: PageObjectResponse | DataSourceObjectResponse): NotionSearchHit {
  // A data source carries its title; a page carries it in whichever property has type "title".
  const rich = r.object === "data_source" ? r.title : (Object.values(r.properties).find((p) => p.type === "title") as { title?: Array<{ plain_text: string }> } | undefined)?.title;
  const title = (rich ?? []).map((t) => t.plain_text).join("").trim();
  return { id: r.id, object: r.object, title: title || "Untitled", url: r.url, parentType: r.parent.type };
}
