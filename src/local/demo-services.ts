// Local mode without tokens: GitHub and Notion answered by the project's faithful fakes, seeded with a demo organisation.
import type { Logger } from "pino";

export interface DemoServices {
  github?: { url: string; token: string };
  /** `pagesParent`: the demo workspace's notes page, where "save to Notion" pages go in local mode. */
  notion?: { url: string; token: string; pagesParent: string };
  close(): Promise<void>;
}

/**
 * The fakes live in test/fakes (they are what the test suite trusts); local mode reuses them so a
 * newcomer sees real-looking standups without any account. The path resolves the same from src/
 * under tsx and from dist/src/ after `npm run build`, which compiles test/fakes alongside.
 */
export async function startDemoServices(needs: { github: boolean; notion: boolean }, logger: Logger): Promise<DemoServices> {
  const closers: Array<() => Promise<void>> = [];
  const services: DemoServices = { close: async () => void (await Promise.all(closers.map((c) => c()))) };
  if (needs.github) {
    const { startGitHubFake } = (await import(new URL("../../test/fakes/github.js", import.meta.url).href)) as typeof import("../../test/fakes/github.js");
    const fake = await startGitHubFake({ token: "ghp_local_demo" });
    closers.push(() => fake.close());
    services.github = { url: fake.url, token: fake.token };
    logger.info({ url: fake.url }, "GitHub: demo organisation 'acme' (no GITHUB_TOKEN set)");
  }
  if (needs.notion) {
    const { startNotionFake } = (await import(new URL("../../test/fakes/notion.js", import.meta.url).href)) as typeof import("../../test/fakes/notion.js");
    const fake = await startNotionFake({ token: "ntn_local_demo" });
    closers.push(() => fake.close());
    services.notion = { url: fake.url, token: fake.token, pagesParent: `page:${fake.ids.notes}` };
    logger.info({ url: fake.url }, "Notion: local demo workspace (no NOTION_TOKEN set)");
  }
  return services;
}
