import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPiper, type TestPiper } from "../support/piper.js";

function textOf(body: unknown): string {
  return JSON.stringify(body);
}

describe("/piper", () => {
  let piper: TestPiper;
  beforeAll(async () => {
    piper = await startTestPiper();
  });
  afterAll(async () => piper?.close());

  it("/piper help is answered in the ack itself, ephemerally", async () => {
    const slack = piper.slackLocal;
    const res = await slack.slashCommand({ channel: slack.channels.general, text: "help" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ response_type: "ephemeral" });
    expect(textOf(res.body)).toContain("/piper projects");
    expect(textOf(res.body)).toContain("/piper standup");
  });

  it("/piper alone lists what Piper can do", async () => {
    const slack = piper.slackLocal;
    const res = await slack.slashCommand({ channel: slack.channels.general, text: "" });
    expect(textOf(res.body)).toContain("/piper health");
  });

  it("an unknown subcommand gets help, not silence", async () => {
    const slack = piper.slackLocal;
    const res = await slack.slashCommand({ channel: slack.channels.general, text: "standp" });
    expect(textOf(res.body)).toContain("I don't know");
    expect(textOf(res.body)).toContain("/piper projects");
  });

  it("/piper standup is acked at once and answered once through response_url with the standup", async () => {
    const slack = piper.slackLocal;
    const standup = await slack.slashCommand({ channel: slack.channels.general, text: "standup" });
    expect(standup.status).toBe(200);
    const responses = await standup.responses;
    expect(responses).toHaveLength(1);
    expect(JSON.stringify(responses[0])).toContain("Standup · ");
    expect(textOf(responses[0])).not.toContain("isn't built yet");
  });

  it("/piper health answers once through response_url with each integration's state", async () => {
    const slack = piper.slackLocal;
    const res = await slack.slashCommand({ channel: slack.channels.general, text: "health" });
    expect(res.status).toBe(200);
    const responses = await res.responses;
    expect(responses).toHaveLength(1);
    const text = textOf(responses[0]);
    expect(text).toContain("Piper health");
    for (const name of ["Slack", "GitHub", "Notion", "Language model", "Database"]) expect(text).toContain(name);
  });

  it("free text is routed like a mention and answered once", async () => {
    const slack = piper.slackLocal;
    const res = await slack.slashCommand({ channel: slack.channels.general, text: "what is blocking the release" });
    const responses = await res.responses;
    expect(responses).toHaveLength(1);
    // Answered by the routing graph's STATUS/blockers handler, from the demo GitHub.
    expect(textOf(responses[0])).toMatch(/block/i);
  });
});
