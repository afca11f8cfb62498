import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { openDatabase, type Database } from "../../src/db/index.js";
import { healthReport } from "../../src/health.js";
import { startHttpServer, type RunningHttpServer } from "../../src/http/server.js";
import { createIntegrations } from "../../src/integrations/index.js";
import { createLogger } from "../../src/logger.js";

describe("GET /healthz", () => {
  const logger = createLogger({ level: "silent" });
  const config = loadConfig({ LOG_LEVEL: "silent" });
  let db: Database;
  let server: RunningHttpServer;
  beforeAll(async () => {
    db = await openDatabase({ kind: "pglite", dataDir: ":memory:" }, logger);
    const integrations = await createIntegrations({ config, logger });
    server = await startHttpServer({
      port: 0,
      host: "127.0.0.1",
      logger,
      health: () => healthReport({ config, db, integrations }),
      metrics: async () => ({ contentType: integrations.metrics.contentType, text: await integrations.metrics.text() }),
    });
  });
  afterAll(async () => server?.close());

  it("is 200 while the database answers and 503 once it does not", async () => {
    const up = await fetch(`${server.url}/healthz`);
    expect(up.status).toBe(200);
    await db.close(); // the embedded database is gone, as a crashed server would be
    const down = await fetch(`${server.url}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: "degraded", database: { kind: "pglite", ok: false } });
  });

  it("answers 404 for paths it does not serve", async () => {
    expect((await fetch(`${server.url}/slack/events`, { method: "POST" })).status).toBe(404); // no Slack listener mounted here
  });
});
