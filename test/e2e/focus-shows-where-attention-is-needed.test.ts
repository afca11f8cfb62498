// Issue 11 through the emulator: a burst of urgent words and unanswered questions puts that room first in /piper focus with its reasons; a private room never reaches someone who isn't in it; pins boost a room.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { botAnswers, startTestPiper, type TestPiper } from "../support/piper.js";

interface ResponseBody {
  text?: string;
  response_type?: string;
}

describe("/piper focus", () => {
  let piper: TestPiper;
  beforeAll(async () => {
    piper = await startTestPiper();
    const slack = piper.slackLocal;
    const { alice, bob } = slack.users;
    // An ordinary day in #general: people talking, nobody asking anything urgent.
    for (let i = 0; i < 12; i++) await slack.postUserMessage({ channel: slack.channels.general, user: i % 2 ? alice : bob, text: `lunch plans ${i}, see the notes` });
    // #mobile, usually quiet, suddenly on fire: urgent words and questions nobody answers.
    for (const text of ["prod is down 🔥 checkout broken", "is anyone looking at the outage?", "urgent: payments failing on iOS", "can someone from mobile check this asap?", "still broken, who owns this?"]) {
      await slack.postUserMessage({ channel: slack.channels.mobile, user: bob, text });
    }
    // #leads (private; Bob isn't in it) has an urgent question too.
    await slack.postUserMessage({ channel: slack.channels.privateChannel, user: alice, text: "outage review: who is on call this week? urgent" });
    // Every message folded into its room's attention before anyone asks.
    const seen = async () => (await piper.rooms.allRooms(slack.teamId)).reduce((n, r) => n + ((r.state as { seen?: number } | undefined)?.seen ?? 0), 0);
    for (let waited = 0; (await seen()) < 18; waited += 50) {
      if (waited > 30_000) throw new Error(`only ${await seen()} of 18 messages were observed`);
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  afterAll(async () => piper?.close());

  async function focus(user: string, text = "focus"): Promise<ResponseBody> {
    const slack = piper.slackLocal;
    const res = await slack.slashCommand({ channel: slack.channels.general, user, text });
    const responses = (await res.responses) as unknown[];
    expect(responses).toHaveLength(1);
    return (responses[0] as { body?: ResponseBody }).body ?? (responses[0] as ResponseBody);
  }

  it("ranks the room on fire first, with its reasons, privately", async () => {
    const slack = piper.slackLocal;
    const body = await focus(slack.users.alice);
    expect(body.response_type).toBe("ephemeral");
    const lines = body.text!.split("\n").filter((l) => /^\d+\. /.test(l));
    expect(lines[0]).toContain(`<#${slack.channels.mobile}>`);
    expect(lines[0]).toMatch(/high|medium/);
    expect(lines[0]).toMatch(/urgent|question/i);
    // Alice is in #leads: its urgent question is on her list.
    expect(body.text).toContain(`<#${slack.channels.privateChannel}>`);
  });

  it("never shows a private room to someone who isn't in it", async () => {
    const slack = piper.slackLocal;
    const body = await focus(slack.users.bob);
    expect(body.text).toContain(`<#${slack.channels.mobile}>`);
    expect(body.text).not.toContain(slack.channels.privateChannel);
    expect(body.text).not.toContain("leads");
    // Pinning it by name gets the same answer as a room Piper doesn't know: its existence isn't confirmed.
    const pin = await focus(slack.users.bob, "focus #leads");
    expect(pin.text).toMatch(/^I don't know #leads yet/);
  });

  it("lists only public channels in a channel's thread, where everyone can read the answer", async () => {
    const slack = piper.slackLocal;
    const { ts } = await slack.postUserMessage({ channel: slack.channels.random, user: slack.users.alice, text: `<@${piper.botUserId}> what needs my attention?` });
    const answer = await slack.waitFor(() => botAnswers(slack, slack.channels.random, ts)[0]);
    expect(answer.text).toContain(`<#${slack.channels.mobile}>`);
    expect(answer.text).not.toContain(slack.channels.privateChannel);
    expect(answer.text).toContain("Public channels only here");
  });

  it("pins a room to the top of one person's list, and clears pins", async () => {
    const slack = piper.slackLocal;
    const pin = await focus(slack.users.alice, "focus #general");
    expect(pin.text).toContain(`Pinned <#${slack.channels.general}>`);
    const pinned = await focus(slack.users.alice);
    expect(pinned.text!.split("\n").find((l) => /^1\. /.test(l))).toContain(`<#${slack.channels.general}> `);
    expect(pinned.text).toContain("📌 pinned");
    // Bob's view is his own.
    expect((await focus(slack.users.bob)).text!.split("\n").find((l) => /^1\. /.test(l))).toContain(`<#${slack.channels.mobile}>`);
    expect((await focus(slack.users.alice, "focus clear")).text).toBe("Removed your pin.");
    expect((await focus(slack.users.alice)).text).not.toContain("📌");
  });

  it("shows the map on the Home tab, refreshed when opened, with only the viewer's rooms", async () => {
    const slack = piper.slackLocal;
    const published = async (user: string) => {
      const before = slack.calls.filter((c) => c.method === "views.publish").length;
      await slack.openAppHome(user);
      const call = await slack.waitFor(() => slack.calls.filter((c) => c.method === "views.publish" && c.args.user_id === user)[0] && slack.calls.filter((c) => c.method === "views.publish").length > before && slack.calls.filter((c) => c.method === "views.publish").at(-1));
      return JSON.stringify(call.args.view);
    };
    const alices = await published(slack.users.alice);
    expect(alices).toContain("Where attention is needed");
    expect(alices).toContain(`<#${slack.channels.mobile}>`);
    expect(alices).toContain(`<#${slack.channels.privateChannel}>`);
    const bobs = await published(slack.users.bob);
    expect(bobs).toContain(`<#${slack.channels.mobile}>`);
    expect(bobs).not.toContain(slack.channels.privateChannel);
  });

  it("/piper watch and /piper unwatch answer in the channel, so everyone there knows", async () => {
    const slack = piper.slackLocal;
    const watch = await slack.slashCommand({ channel: slack.channels.random, text: "watch" });
    const [on] = (await watch.responses) as Array<{ body?: ResponseBody }>;
    expect(on!.body?.response_type ?? (on as ResponseBody).response_type).toBe("in_channel");
    expect(JSON.stringify(on)).toContain("I'm watching");
    expect(piper.watch).toBeDefined();
    const unwatch = await slack.slashCommand({ channel: slack.channels.random, text: "unwatch" });
    expect(JSON.stringify(await unwatch.responses)).toContain("Stopped watching");
  });
});
