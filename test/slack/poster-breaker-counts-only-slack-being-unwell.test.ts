// The poster runs under the real Slack breaker: an open breaker stops posts at once; refusals and 429s are not Slack being down.
// The last two tests need the breaker rule "only transport errors, 5xx and timeouts count" (src/integrations/policy.ts).
import { afterEach, describe, expect, it } from "vitest";
import { ServiceUnavailable } from "../../src/integrations/errors.js";
import { SlackRateLimitedError, SlackRefusedError } from "../../src/slack/poster.js";
import { posterAgainstEmulator, type PosterHarness } from "./support/poster.js";

describe("the Slack breaker around the poster", () => {
  let h: PosterHarness | undefined;
  afterEach(async () => h?.close());

  it("once Slack's 5xxs open the breaker, a post fails fast: no request, no look-back, no second post", async () => {
    h = await posterAgainstEmulator({ failureThreshold: 2 });
    const { slack, poster, policy } = h;
    slack.serverErrorNext("auth.test", { status: 503 }, 10);
    await expect(poster.call("auth.test", (c) => c.auth.test())).rejects.toBeInstanceOf(ServiceUnavailable);
    expect(policy.state).toBe("open");
    const before = slack.calls.length;
    const err = await poster.postMessage(slack.channels.general, undefined, { text: "hi" }, { key: "Ev0OPEN0001" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceUnavailable);
    expect(slack.calls.length).toBe(before);
  });

  it("five restricted_action refusals in a row do not stop the next post from going out", async () => {
    h = await posterAgainstEmulator({ failureThreshold: 5 });
    const { slack, poster, policy } = h;
    const target = { channel: slack.channels.general, user: slack.users.alice };
    slack.failNext("chat.postMessage", "restricted_action", 5);
    for (let i = 0; i < 5; i++) await expect(poster.postReply(target, { text: `no ${i}` }, { key: `Ev0RESTRICT${i}` })).rejects.toBeInstanceOf(SlackRefusedError);
    const reply = await poster.postReply(target, { text: "yes" }, { key: "Ev0RESTRICT5" });
    expect(reply.delivery).toBe("posted");
    expect(policy.state).toBe("closed");
  });

  it("Slack rate-limiting posts (429) does not open the breaker", async () => {
    h = await posterAgainstEmulator({ failureThreshold: 2 });
    const { slack, poster, policy } = h;
    slack.rateLimitNext("chat.postMessage", 120, 3);
    for (let i = 0; i < 3; i++) await expect(poster.postMessage(slack.channels.random, undefined, { text: "wait" })).rejects.toBeInstanceOf(SlackRateLimitedError);
    await poster.postMessage(slack.channels.random, undefined, { text: "through" });
    expect(policy.state).toBe("closed");
  });
});
