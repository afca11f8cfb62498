// Every message people write is placed on Piper's map: territory and room created on first sight, named from Slack, kept named after a rename.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { botReplies, startTestPiper, type TestPiper } from "../support/piper.js";

describe("ambient messages are placed in territories and rooms", () => {
  let piper: TestPiper;
  beforeAll(async () => {
    piper = await startTestPiper();
  });
  afterAll(async () => piper?.close());

  const roomRow = (channel: string) => piper.db.prisma.room.findFirst({ where: { slackChannelId: channel }, include: { territory: true } });

  it("creates the territory and each room with the emulator's names and kinds: channel, private, DM, group DM, Slack Connect", async () => {
    const slack = piper.slackLocal;
    const shared = slack.createChannel("acme-partners", "shared");
    const rooms = [
      { channel: slack.channels.general, kind: "channel", name: "general", topic: "Company-wide announcements and work-based matters" },
      { channel: slack.channels.privateChannel, kind: "private", name: "leads", topic: "Team leads only" },
      { channel: slack.channels.dmWithPiper(), kind: "dm", name: null, topic: null },
      { channel: slack.channels.groupDm, kind: "group_dm", name: "mpdm-alice--bob--piper-1", topic: "Group messaging with: @alice @bob @piper" },
      { channel: shared, kind: "shared", name: "acme-partners", topic: null },
    ];
    for (const r of rooms) await slack.postUserMessage({ channel: r.channel, text: `hello ${r.kind}` });

    for (const r of rooms) {
      await expect.poll(async () => (await roomRow(r.channel))?.name ?? null, { timeout: 30_000 }).toBe(r.name);
      await expect.poll(async () => (await roomRow(r.channel))?.kind, { timeout: 30_000 }).toBe(r.kind);
      const row = (await roomRow(r.channel))!;
      expect(row.territory).toMatchObject({ slackTeamId: slack.teamId, name: "Piper Local" });
      expect(row.topic).toBe(r.topic);
      expect(row.lastActivityAt).not.toBeNull();
    }
    // The DM was answered as before (observing it does not take it away from the intake).
    await slack.waitFor(() => slack.messages(slack.channels.dmWithPiper()).some((m) => m.bot_id !== undefined));
  });

  it("takes a channel_rename (and a private channel's group_rename) as the room's new name", async () => {
    const slack = piper.slackLocal;
    const launch = slack.createChannel("launch");
    await slack.postUserMessage({ channel: launch, text: "launch plans" });
    await expect.poll(async () => (await roomRow(launch))?.name ?? null, { timeout: 30_000 }).toBe("launch");
    await slack.renameChannel(launch, "launch-2027");
    await slack.renameChannel(slack.channels.privateChannel, "leadership");
    await expect.poll(async () => (await roomRow(launch))?.name ?? null, { timeout: 30_000 }).toBe("launch-2027");
    await expect.poll(async () => (await roomRow(slack.channels.privateChannel))?.name ?? null, { timeout: 30_000 }).toBe("leadership");
    // The cache took the new name: the next message does not ask Slack again, nor puts the old name back.
    const before = slack.calls.filter((c) => c.method === "conversations.info" && c.args.channel === launch).length;
    await slack.postUserMessage({ channel: launch, text: "renamed" });
    await piper.rooms.flush();
    expect(slack.calls.filter((c) => c.method === "conversations.info" && c.args.channel === launch)).toHaveLength(before);
    expect((await piper.rooms.get(slack.teamId, launch))?.name).toBe("launch-2027");
  });

  it("counts 200 ambient messages and a mention's message once each, while every mention gets one reply", async () => {
    const slack = piper.slackLocal;
    const busy = slack.createChannel("busy");
    const quiet = slack.createChannel("quiet");
    const chatter = Array.from({ length: 200 }, (_, i) => slack.postUserMessage({ channel: busy, user: i % 2 ? slack.users.alice : slack.users.bob, text: `chatter ${i}` }));
    const mentions = Array.from({ length: 10 }, (_, i) => slack.postUserMessage({ channel: i % 2 ? busy : quiet, text: `<@${piper.botUserId}> help ${i}` }));
    const posted = await Promise.all([...chatter, ...mentions]);
    const mentionPosts = posted.slice(200);

    await slack.waitFor(() => mentionPosts.every((m, i) => botReplies(slack, i % 2 ? busy : quiet, m.ts).length > 0), { timeoutMs: 60_000 });
    await slack.waitFor(() => piper.slack.queue.pending === 0);
    for (const [i, m] of mentionPosts.entries()) expect(botReplies(slack, i % 2 ? busy : quiet, m.ts)).toHaveLength(1);

    // A mention comes as a message and an app_mention: it is one message on the map.
    const view = async (room: string) => (await piper.rooms.get(slack.teamId, room))?.state as { seen: number } | undefined;
    await expect.poll(async () => (await view(busy))?.seen, { timeout: 30_000 }).toBe(205);
    await expect.poll(async () => (await view(quiet))?.seen, { timeout: 30_000 }).toBe(5);
    // 205 messages, one lookup of the room's name (two if the poster repeated a read lost to a timeout).
    expect(slack.calls.filter((c) => c.method === "conversations.info" && c.args.channel === busy).length).toBeLessThanOrEqual(2);
    expect(slack.calls.filter((c) => c.method === "team.info").length).toBeLessThanOrEqual(2);
    await piper.rooms.flush();
    const busyRow = await roomRow(busy);
    expect(busyRow).toMatchObject({ name: "busy", kind: "channel" });
    // The stored score is the model's, as of its own clock: positive after 205 messages (the model's own tests pin its values).
    expect(busyRow!.attentionScore).toBeGreaterThan(0);
    // Piper's own replies are not people talking: they are not counted.
    expect((busyRow!.attentionState as { seen: number }).seen).toBe(205);
  });
});
