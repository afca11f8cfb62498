import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixture } from "../support/fixtures.js";
import { startTestPiper, type TestPiper } from "../support/piper.js";

describe("App Home, /healthz and /metrics", () => {
  let piper: TestPiper;
  beforeAll(async () => {
    piper = await startTestPiper();
  });
  afterAll(async () => piper?.close());

  it("publishes a Home tab describing Piper, its connections and how to use it", async () => {
    const slack = piper.slackLocal;
    await slack.openAppHome(slack.users.alice);
    const view = (await slack.waitFor(() => slack.homeView(slack.users.alice))) as { type: string; blocks: unknown[] };
    expect(view.type).toBe("home");
    const text = JSON.stringify(view.blocks);
    expect(text).toContain("Connections");
    expect(text).toContain("GitHub");
    expect(text).toContain("/piper help");
  });

  it("offers suggested prompts when someone opens a new thread in Piper's Messages tab", async () => {
    const slack = piper.slackLocal;
    const dm = slack.channels.dmWithPiper();
    const threadTs = (await slack.postUserMessage({ channel: dm, text: "new chat" })).ts;
    const envelope = fixture("assistant-thread-started-envelope.json", {
      TEAM_ID: slack.teamId, APP_ID: slack.appId, USER_ID: slack.users.alice, BOT_USER_ID: slack.botUserId,
      CONTEXT_CHANNEL_ID: slack.channels.general, CHANNEL_ID: dm, THREAD_TS: threadTs, EVENT_ID: "Ev0ASSIST00001",
    });
    expect((await slack.deliver(envelope)).status).toBe(200);
    const call = await slack.waitFor(() => slack.calls.find((c) => c.method === "assistant.threads.setSuggestedPrompts"));
    expect(call.args).toMatchObject({ channel_id: dm, thread_ts: threadTs });
    // Only what works today is offered; unbuilt features (standups, focus) are not.
    expect((call.args.prompts as Array<{ message: string }>).map((p) => p.message)).toEqual(["what's blocking us right now?", "what should I work on first?", "projects", "health"]);
  });

  it("GET /healthz reports mode and database status as JSON", async () => {
    const res = await fetch(`http://127.0.0.1:${piper.http.port}/healthz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; mode: string; database: { ok: boolean; kind: string }; breakers: Array<{ name: string }> };
    expect(body.status).toBe("ok");
    expect(body.mode).toBe("local");
    expect(body.database.ok).toBe(true);
    expect(body.breakers.map((b) => b.name).sort()).toEqual(["github", "llm", "notion", "slack"]);
  });

  it("GET /metrics exposes the breaker state gauge in Prometheus text format", async () => {
    const res = await fetch(`http://127.0.0.1:${piper.http.port}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    expect(text).toContain("# TYPE piper_breaker_state gauge");
    expect(text).toMatch(/piper_breaker_state\{breaker="slack"\} 0/);
  });

  it("unknown paths are 404, not Bolt errors", async () => {
    const res = await fetch(`http://127.0.0.1:${piper.http.port}/nope`);
    expect(res.status).toBe(404);
  });
});
