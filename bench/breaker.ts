// Time for a user to get an answer while GitHub is down: with the breaker open versus without a breaker.
import { startGitHubFake } from "../test/fakes/github.js";
import { startLocalSlack } from "../src/local/index.js";
import { BOT_TOKEN, SIGNING_SECRET, startBenchPiper } from "./piper-under-test.js";
import { summarize, type Summary } from "./stats.js";
import { preciseNow } from "../src/local/clock.js";

export interface BreakerFigures {
  githubFailureMs: number;
  withBreaker: Summary;
  withoutBreaker: Summary;
}

/** GitHub answers every request with a 503 after `failAfterMs`, as an overloaded upstream does. */
export async function measureBreaker(requests = 12, failAfterMs = 400): Promise<BreakerFigures> {
  const run = async (breakerFailures: string) => {
    const github = await startGitHubFake();
    const slack = await startLocalSlack({ port: 0, signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN });
    const { eventsUrl, stop } = await startBenchPiper(slack, {
      GITHUB_TOKEN: github.token,
      GITHUB_API_URL: github.url,
      PIPER_BREAKER_FAILURES: breakerFailures,
      PIPER_BREAKER_HALF_OPEN_MS: "600000",
    });
    slack.setDeliveryUrl(eventsUrl);
    github.failNext(1_000_000, 503);
    github.delayNext(failAfterMs, 1_000_000);
    const samples: number[] = [];
    for (let i = 0; i < requests; i++) {
      const started = preciseNow();
      const res = await slack.slashCommand({ channel: slack.channels.general, text: "projects" });
      const { body, at } = await res.firstResponse;
      if (!JSON.stringify(body).includes("GitHub is unavailable")) throw new Error(`unexpected answer: ${JSON.stringify(body)}`);
      // The first answers pay for the failures that open the breaker; measure the steady state after them.
      if (i >= 3) samples.push(at - started);
    }
    await stop();
    await slack.close();
    await github.close();
    return summarize(samples);
  };
  const withBreaker = await run("2");
  const withoutBreaker = await run("1000000");
  return { githubFailureMs: failAfterMs, withBreaker, withoutBreaker };
}
