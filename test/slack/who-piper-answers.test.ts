import { describe, expect, it } from "vitest";
import { isPersonTalking, mentionsBot, messageEventSchema, roomKind, stripMention } from "../../src/slack/inbound.js";

/** Event shapes as Slack sends them (trimmed to the fields Piper reads). */
const EVENTS = {
  plain: { type: "message", channel: "C1", user: "U1", text: "hi", ts: "1.1", channel_type: "channel" },
  threadReply: { type: "message", channel: "C1", user: "U1", text: "hi", ts: "1.2", thread_ts: "1.1", channel_type: "channel" },
  fileShare: { type: "message", subtype: "file_share", channel: "C1", user: "U1", text: "see file", ts: "1.3", channel_type: "channel" },
  edited: { type: "message", subtype: "message_changed", channel: "C1", ts: "1.4", hidden: true, message: { type: "message", user: "U1", text: "hi!", ts: "1.1" } },
  join: { type: "message", subtype: "channel_join", channel: "C1", user: "U2", text: "<@U2> has joined the channel", ts: "1.5" },
  botMessage: { type: "message", subtype: "bot_message", channel: "C1", bot_id: "B9", text: "build passed", ts: "1.6" },
  ownMessage: { type: "message", channel: "C1", user: "U0PIPER", bot_id: "B0PIPER", app_id: "A1", text: "answer", ts: "1.7" },
};

function talking(event: object): boolean {
  const parsed = messageEventSchema.safeParse(event);
  return parsed.success && isPersonTalking(parsed.data);
}

describe("who Piper answers", () => {
  it("people's messages, thread replies and file shares are people talking", () => {
    expect(talking(EVENTS.plain)).toBe(true);
    expect(talking(EVENTS.threadReply)).toBe(true);
    expect(talking(EVENTS.fileShare)).toBe(true);
  });

  it("edits, joins, other bots and Piper's own messages are not", () => {
    expect(talking(EVENTS.edited)).toBe(false);
    expect(talking(EVENTS.join)).toBe(false);
    expect(talking(EVENTS.botMessage)).toBe(false);
    expect(talking(EVENTS.ownMessage)).toBe(false);
  });

  it("strips Piper's mention (with or without a label) and recognises it", () => {
    expect(stripMention("<@U0PIPER> help  me", "U0PIPER")).toBe("help me");
    expect(stripMention("hey <@U0PIPER|piper>, status?", "U0PIPER")).toBe("hey , status?");
    expect(mentionsBot("ping <@U0PIPER>", "U0PIPER")).toBe(true);
    expect(mentionsBot("ping <@U0OTHER>", "U0PIPER")).toBe(false);
  });

  it("maps Slack channel types to room kinds", () => {
    expect(roomKind("D123", "im")).toBe("dm");
    expect(roomKind("G123", "group")).toBe("private");
    expect(roomKind("C123", "channel")).toBe("channel");
    expect(roomKind("D999")).toBe("dm");
    expect(roomKind("G456", "mpim")).toBe("group_dm");
  });
});
