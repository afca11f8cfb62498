// Issue 9's walk-through, through the emulator without a model: questions about the work reach the workflow terminal and are answered from GitHub (the demo fake, seeded with acme) in one reply with links.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { terminalFor } from "../../src/routing/gate.js";
import { askInThread, startTestPiper, type TestPiper } from "../support/piper.js";

describe("QUERY through the emulator", () => {
  let piper: TestPiper;
  beforeAll(async () => {
    piper = await startTestPiper();
  });
  afterAll(async () => piper?.close());

  it("“how many open bugs in acme/web?” counts the bug label there, with links", async () => {
    const { reply, intent } = await askInThread(piper, piper.slackLocal.channels.general, "how many open bugs in acme/web?");
    expect(intent).toMatchObject({ category: "QUERY", action: "count_issues" });
    expect(terminalFor(intent)).toBe("workflow");
    expect(reply.text).toContain("1 open issue labelled `bug` in acme/web.");
    expect(reply.text).toMatch(/<https:\/\/github\.com\/acme\/web\/issues\/1\|#1 Login fails on Safari 17>/);
    expect(JSON.stringify(reply.blocks)).toContain("https://github.com/acme/web/issues/1");
  });

  it("“find issues about login” finds the Safari login bug, with its link", async () => {
    const { reply, intent } = await askInThread(piper, piper.slackLocal.channels.general, "find issues about login");
    expect(intent).toMatchObject({ category: "QUERY", action: "find_issues" });
    expect(reply.text).toMatch(/matching “login”/);
    expect(reply.text).toContain("<https://github.com/acme/web/issues/1|acme/web#1 Login fails on Safari 17> — open · bug, p1");
    expect(reply.text).not.toContain("isn't available yet");
  });
});
