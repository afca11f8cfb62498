import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reply, type Router } from "../../src/routing/router.js";
import { botReplies, startTestPiper, type TestPiper } from "../support/piper.js";

const explodesOnBoom: Router = {
  activity: (inbound) => `answering “${inbound.text}”`,
  async route(inbound) {
    if (inbound.text.includes("boom")) throw new TypeError("cannot read properties of undefined (reading 'x')");
    return reply(`fine: ${inbound.text}`);
  },
};

describe("a handler that throws", () => {
  let piper: TestPiper;
  beforeAll(async () => {
    piper = await startTestPiper({ router: () => explodesOnBoom });
  });
  afterAll(async () => piper?.close());

  it("produces one apologetic reply with an error id, then the next message is answered normally", async () => {
    const slack = piper.slackLocal;
    const bad = await slack.postUserMessage({ channel: slack.channels.general, text: `<@${piper.botUserId}> boom` });
    const apology = await slack.waitFor(() => botReplies(slack, slack.channels.general, bad.ts)[0]);
    expect(apology.text).toMatch(/^Something went wrong while answering “boom” — I've logged it as `E[0-9A-F]{8}`/);
    expect(apology.text).not.toContain("cannot read properties"); // internals stay in the logs

    const good = await slack.postUserMessage({ channel: slack.channels.general, text: `<@${piper.botUserId}> hello again` });
    const answer = await slack.waitFor(() => botReplies(slack, slack.channels.general, good.ts)[0]);
    expect(answer.text).toBe("fine: hello again");
    await slack.waitFor(() => piper.slack.queue.pending === 0);
    expect(botReplies(slack, slack.channels.general, bad.ts)).toHaveLength(1);
  });
});
