// Pins the wiring of /piper projects: in local mode the demo GitHub and Notion both answer, side by side.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPiper, type TestPiper } from "../support/piper.js";

describe("/piper projects in local mode", () => {
  let piper: TestPiper;
  beforeAll(async () => {
    piper = await startTestPiper();
  });
  afterAll(async () => piper?.close());

  it("lists the demo GitHub repositories and the demo Notion databases and pages", async () => {
    const slack = piper.slackLocal;
    const [answer] = await (await slack.slashCommand({ channel: slack.channels.general, text: "projects" })).responses;
    const text = JSON.stringify(answer);
    expect(text).toContain("acme/web");
    expect(text).toContain("Product roadmap");
    expect(text).toContain("Team notes");
  });
});
