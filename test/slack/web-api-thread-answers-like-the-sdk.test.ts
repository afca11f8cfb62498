// Slack calls made from a worker thread come back as the SDK gives them: results, and errors with the fields Piper classifies them by.
import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalSlack, type LocalSlack } from "../../src/local/index.js";
import { createLogger } from "../../src/logger.js";
import { isSlackServiceFailure } from "../../src/integrations/slack-errors.js";
import { outcomeOf, slackErrorOf } from "../../src/slack/posting/outcome.js";
import { slackClientOptions } from "../../src/slack/poster.js";
import { ThreadedWebClient } from "../../src/slack/web-api-thread.js";

const TOKEN = "xoxb-thread-test";
const logger = createLogger({ level: "silent" });

describe("the Web API client on its own thread", () => {
  let slack: LocalSlack;
  let threaded: ThreadedWebClient;
  let direct: WebClient;
  beforeAll(async () => {
    slack = await startLocalSlack({ port: 0, signingSecret: "s", botToken: TOKEN, retryDelaysMs: [] });
    const options = slackClientOptions({ apiUrl: slack.apiUrl, timeoutMs: 1_000 });
    threaded = new ThreadedWebClient(TOKEN, options, logger);
    direct = new WebClient(TOKEN, options);
  });
  afterAll(async () => {
    await threaded?.close();
    await slack?.close();
  });

  /** The same call through both clients: what Piper would see either way. */
  async function both<T>(call: (c: WebClient) => Promise<T>): Promise<Array<{ value?: T; error?: Record<string, unknown> }>> {
    const settle = (p: Promise<T>) => p.then((value) => ({ value }), (error: Record<string, unknown>) => ({ error }));
    return [await settle(call(threaded)), await settle(call(direct))];
  }

  it("returns what Slack answered, and the message is in the workspace", async () => {
    const result = await threaded.chat.postMessage({ channel: slack.channels.general, text: "from the thread", metadata: { event_type: "piper_answer", event_payload: { key: "k1" } } });
    expect(result.ok).toBe(true);
    expect(result.ts).toEqual(expect.any(String));
    expect(slack.replies(slack.channels.general, result.ts!)[0]?.text).toBe("from the thread");
  });

  it("a refusal: the same code, data and classification as the SDK's own error", async () => {
    slack.failNext("chat.postMessage", "restricted_action", 2);
    const [viaThread, viaSdk] = await both((c) => c.chat.postMessage({ channel: slack.channels.general, text: "no" }));
    expect(viaThread!.error).toMatchObject({ code: viaSdk!.error!.code, data: { ok: false, error: "restricted_action" } });
    expect(outcomeOf(viaThread!.error)).toBe(outcomeOf(viaSdk!.error));
    expect(slackErrorOf(viaThread!.error)).toBe("restricted_action");
    expect(isSlackServiceFailure(viaThread!.error as unknown as Error)).toBe(isSlackServiceFailure(viaSdk!.error as unknown as Error));
  });

  it("a 429: retryAfter survives the crossing", async () => {
    slack.rateLimitNext("conversations.info", 7, 2);
    const [viaThread, viaSdk] = await both((c) => c.conversations.info({ channel: slack.channels.general }));
    expect(viaThread!.error).toMatchObject({ code: viaSdk!.error!.code, retryAfter: 7 });
    expect(outcomeOf(viaThread!.error)).toBe("rate-limited");
  });

  it("a 5xx: the status code survives, so a write's outcome is still 'unknown'", async () => {
    slack.serverErrorNext("chat.postMessage", { status: 503 }, 2);
    const [viaThread, viaSdk] = await both((c) => c.chat.postMessage({ channel: slack.channels.general, text: "5xx" }));
    expect(viaThread!.error).toMatchObject({ code: viaSdk!.error!.code, statusCode: 503 });
    expect(outcomeOf(viaThread!.error)).toBe(outcomeOf(viaSdk!.error));
    expect(isSlackServiceFailure(viaThread!.error as unknown as Error)).toBe(true);
  });

  it("an unreachable Slack is a request error, classified as the SDK's", async () => {
    const options = slackClientOptions({ apiUrl: "http://127.0.0.1:9/api/", timeoutMs: 1_000 });
    const offline = new ThreadedWebClient(TOKEN, options, logger);
    const error = (await offline.auth.test().catch((e: unknown) => e)) as Record<string, unknown>;
    const sdkError = (await new WebClient(TOKEN, options).auth.test().catch((e: unknown) => e)) as Record<string, unknown>;
    expect(error).toMatchObject({ code: sdkError.code });
    expect(isSlackServiceFailure(error as unknown as Error)).toBe(true);
    expect(isSlackServiceFailure(sdkError as unknown as Error)).toBe(true);
    await offline.close();
  });

  it("after close, calls are made on this thread and still work", async () => {
    const options = slackClientOptions({ apiUrl: slack.apiUrl, timeoutMs: 1_000 });
    const client = new ThreadedWebClient(TOKEN, options, logger);
    await client.close();
    expect((await client.auth.test()).ok).toBe(true);
  });
});
