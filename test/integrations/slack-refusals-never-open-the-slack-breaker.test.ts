// Slack saying "no" (ok:false, a 4xx, a long 429) never opens the slack breaker; 5xx, an unreachable Slack and timeouts do.
import { LogLevel, WebClient } from "@slack/web-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ServiceUnavailable, TimedOut } from "../../src/integrations/errors.js";
import type { ServicePolicy } from "../../src/integrations/policy.js";
import { startFakeServer, type FakeResponse, type FakeServer } from "../fakes/fake-server.js";
import { integrationsAgainst } from "../support/integrations.js";

/** Just enough of Slack's Web API: every method answers ok:true unless the test queued something else. */
function startSlackFake(): Promise<FakeServer> {
  return startFakeServer([["POST", /^\/api\/[\w.]+$/, () => ({ status: 200, body: { ok: true, channel: "C1", ts: "1700000000.000100" } })]]);
}

function webClient(url: string): WebClient {
  // No SDK retries: each call is one request, so the breaker's count is easy to read.
  return new WebClient("xoxb-1-test", { slackApiUrl: `${url}/api/`, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logLevel: LogLevel.ERROR });
}

async function slackPolicy(env: Record<string, string> = {}): Promise<ServicePolicy> {
  // PIPER_BREAKER_FAILURES is 3 in these tests.
  const { integrations } = await integrationsAgainst({}, env);
  return integrations.policies.slack;
}

const post = (policy: ServicePolicy, client: WebClient) => policy.execute(() => client.chat.postMessage({ channel: "C1", text: "hello" }), "chat.postMessage");
const answer = (response: FakeResponse) => () => response;

describe("the slack breaker", () => {
  let slack: FakeServer;
  let client: WebClient;
  beforeEach(async () => {
    slack = await startSlackFake();
    client = webClient(slack.url);
  });
  afterEach(async () => slack.close());

  it("stays closed through refusals: ok:false answers, an HTTP 4xx and a long rate limit", async () => {
    const policy = await slackPolicy();
    const refusals: FakeResponse[] = [
      { status: 200, body: { ok: false, error: "restricted_action" } },
      { status: 200, body: { ok: false, error: "not_in_channel" } },
      { status: 200, body: { ok: false, error: "msg_too_long" } },
      { status: 200, body: { ok: false, error: "invalid_blocks" } },
      { status: 404, body: "" },
      { status: 429, headers: { "retry-after": "120" }, body: { ok: false, error: "ratelimited" } },
    ];
    for (const refusal of refusals) {
      slack.push(answer(refusal));
      await expect(post(policy, client)).rejects.toMatchObject({ code: expect.stringMatching(/^slack_webapi_/) });
    }
    slack.push(answer({ status: 200, body: { ok: false, error: "invalid_thread_ts" } }));
    await expect(policy.execute(() => client.assistant.threads.setStatus({ channel_id: "C1", thread_ts: "1.2", status: "is thinking…" }), "assistant.threads.setStatus")).rejects.toThrow(/invalid_thread_ts/);

    expect(policy.state).toBe("closed");
    expect(policy.snapshot()).toMatchObject({ consecutiveFailures: 0, totalFailures: 0 });
    await expect(post(policy, client)).resolves.toMatchObject({ ok: true });
  });

  it("opens after the threshold of 5xx answers, then turns calls away without a request", async () => {
    const policy = await slackPolicy();
    slack.push(answer({ status: 503, body: "" }), 3);
    for (let i = 0; i < 3; i++) await expect(post(policy, client)).rejects.toMatchObject({ code: "slack_webapi_http_error", statusCode: 503 });
    expect(policy.state).toBe("open");
    const before = slack.calls.length;
    await expect(post(policy, client)).rejects.toBeInstanceOf(ServiceUnavailable);
    expect(slack.calls.length).toBe(before);
  });

  it("opens when Slack cannot be reached at all", async () => {
    const policy = await slackPolicy();
    const gone = await startSlackFake();
    await gone.close();
    const unreachable = webClient(gone.url);
    for (let i = 0; i < 3; i++) await expect(post(policy, unreachable)).rejects.toMatchObject({ code: "slack_webapi_request_error" });
    expect(policy.state).toBe("open");
  });

  it("opens when Slack does not answer within the timeout", async () => {
    const policy = await slackPolicy({ PIPER_SLACK_TIMEOUT_MS: "200" });
    const holds = [slack.holdNext(), slack.holdNext(), slack.holdNext()];
    for (let i = 0; i < 3; i++) await expect(post(policy, client)).rejects.toBeInstanceOf(TimedOut);
    expect(policy.state).toBe("open");
    for (const hold of holds) hold.release();
  });
});
