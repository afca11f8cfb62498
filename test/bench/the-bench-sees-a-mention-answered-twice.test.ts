import { describe, expect, it } from "vitest";
import { ThreadReplies } from "../../bench/slack-load.js";

type Call = { method: string; args: Record<string, unknown>; at: number };

describe("the bench's reading of an app's replies", () => {
  it("takes the first post in a thread as its reply and marks a second post there as answering twice", () => {
    const calls: Call[] = [];
    const replies = new ThreadReplies(calls);
    calls.push(
      { method: "chat.postMessage", args: { channel: "C1", thread_ts: "1.1", text: "_Working on it…_" }, at: 10 },
      { method: "chat.update", args: { channel: "C1", ts: "1.2", text: "hi there" }, at: 11 },
      { method: "chat.postMessage", args: { channel: "C2", thread_ts: "2.1", text: "hello" }, at: 12 },
      { method: "chat.postMessage", args: { channel: "C2", thread_ts: "2.1", text: "hello" }, at: 13 },
      { method: "chat.postMessage", args: { channel: "C3", text: "not in a thread" }, at: 14 },
    );
    replies.scan();
    expect(replies.first.get("C1:1.1")).toEqual({ at: 10, text: "_Working on it…_" });
    expect(replies.first.get("C2:2.1")?.at).toBe(12);
    expect([...replies.repeated]).toEqual(["C2:2.1"]);
  });

  it("reads only the calls made after it was created, and each call once", () => {
    const calls: Call[] = [{ method: "chat.postMessage", args: { channel: "C1", thread_ts: "1.1", text: "earlier step" }, at: 1 }];
    const replies = new ThreadReplies(calls);
    calls.push({ method: "chat.postMessage", args: { channel: "C1", thread_ts: "1.1", text: "this step" }, at: 2 });
    replies.scan();
    replies.scan();
    expect(replies.first.get("C1:1.1")?.text).toBe("this step");
    expect(replies.repeated.size).toBe(0);
  });
});
