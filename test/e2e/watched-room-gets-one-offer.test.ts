// Opt-in offers through the emulator: a watched channel in trouble gets one offer (and only one per interval), an unwatched one none; the offer's button lists the open questions to the person who clicked.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoredMessage } from "../../src/local/index.js";
import { IDS } from "../../src/local/store.js";
import type { Inbound } from "../../src/slack/inbound.js";
import { OFFER_QUESTIONS_ACTION_ID } from "../../src/spatial/offers.js";
import { startTestPiper, type TestPiper } from "../support/piper.js";

type Block = { type: string; elements?: Array<{ action_id?: string; value?: string }> };

function offersIn(messages: StoredMessage[]): StoredMessage[] {
  return messages.filter((m) => m.bot_id !== undefined && (m.blocks as Block[] | undefined)?.some((b) => b.type === "actions" && b.elements?.some((e) => e.action_id === OFFER_QUESTIONS_ACTION_ID)));
}

describe("a watched room gets one offer of help", () => {
  let piper: TestPiper;
  beforeAll(async () => {
    // A day between offers: within the test, a second offer can only come from a bug.
    piper = await startTestPiper({}, { PIPER_OFFER_INTERVAL_MS: String(24 * 3_600_000) });
  });
  afterAll(async () => piper?.close());

  it("urgent messages and unanswered questions bring one offer in the watched channel, none in the other; its button lists the open questions", async () => {
    const slack = piper.slackLocal;
    const watched = slack.createChannel("incidents");
    const unwatched = slack.createChannel("lounge");

    // The router isn't wired to the command yet: the service it will call.
    const inbound: Inbound = { id: "watch-1", source: "slash", territory: slack.teamId, room: { id: watched, kind: "channel" }, user: slack.users.alice, text: "watch", history: [] };
    const answer = await piper.watch.watch(inbound, true);
    expect(answer.text).toBe(
      `I'm watching <#${watched}> now: when questions wait too long or something looks urgent, I'll offer help here — at most once every 1 day. \`/piper unwatch\` stops it.`,
    );

    const burst = [
      { user: slack.users.alice, text: "prod is down 🔥 can anyone look?" },
      { user: slack.users.bob, text: "is anyone on this?" },
      { user: slack.users.alice, text: "outage again, checkout broken, urgent" },
    ];
    const asked: Record<string, string[]> = { [watched]: [], [unwatched]: [] };
    for (const channel of [watched, unwatched]) {
      for (const m of burst) {
        const { ts } = await slack.postUserMessage({ channel, ...m });
        if (m.text.endsWith("?")) asked[channel]!.push(ts);
      }
    }
    const seen = async (channel: string) => ((await piper.rooms.get(slack.teamId, channel))?.state as { seen?: number } | undefined)?.seen;
    const settle = async (n: number) => {
      for (const channel of [watched, unwatched]) await expect.poll(() => seen(channel), { timeout: 30_000 }).toBe(n);
      await piper.offers.settled();
    };
    await settle(burst.length);
    const offers = offersIn(slack.messages(watched));
    expect(offers).toHaveLength(1);
    expect(offersIn(slack.messages(unwatched))).toHaveLength(0);
    const offer = offers[0]!;
    expect(offer.thread_ts).toBeUndefined();
    expect(offer.text).toMatch(/^This channel looks like it could use a hand: .+\. Want the list of questions still waiting for an answer\?$/);
    const row = await piper.db.prisma.room.findFirstOrThrow({ where: { slackChannelId: watched } });
    expect(row.watched).toBe(true);
    expect(row.lastOfferAt).not.toBeNull();

    // More trouble within the interval: still the one offer.
    for (const channel of [watched, unwatched]) {
      const { ts } = await slack.postUserMessage({ channel, user: slack.users.bob, text: "can someone roll back? still down" });
      asked[channel]!.push(ts);
      await slack.postUserMessage({ channel, user: slack.users.alice, text: "urgent: prod broken 🔥" });
    }
    await settle(burst.length + 2);
    expect(offersIn(slack.messages(watched))).toHaveLength(1);
    expect(offersIn(slack.messages(unwatched))).toHaveLength(0);

    // Bob clicks: only he sees the list, every open question linked to its message, oldest first.
    const click = await slack.click({ channel: watched, ts: offer.ts, actionId: OFFER_QUESTIONS_ACTION_ID, value: row.id, user: slack.users.bob });
    expect(click.status).toBe(200);
    const list = await slack.waitFor(() => slack.messages(watched).find((m) => m.ephemeral && m.for_user === slack.users.bob));
    const links = asked[watched]!.map((ts) => `https://${IDS.teamDomain}.slack.com/archives/${watched}/p${ts.replace(".", "")}`);
    const lines = list.text.split("\n");
    expect(lines[0]).toBe("3 questions here are still waiting for an answer:");
    expect(lines.slice(1)).toHaveLength(3);
    for (const [i, link] of links.entries()) expect(lines[i + 1]).toMatch(new RegExp(`^• <${link.replace(/[.?]/g, "\\$&")}\\|Question> from <@U\\w+>, waiting \\d+ (min|h)$`));
    expect(slack.messages(watched).filter((m) => m.ephemeral && m.for_user === slack.users.alice)).toHaveLength(0);
  });
});
