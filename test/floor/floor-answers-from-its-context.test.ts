// Pins the floor: answers come from the assembled context only, an empty block says "I don't know", and a model that can't start falls back to the template with its sentence.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ContextAssembler, HISTORY_TURNS, recentTurns, renderDomainContext } from "../../src/floor/context-assembler.js";
import { ConversationalFloor, conversation, type FloorModel } from "../../src/floor/floor.js";
import { NO_FABRICATION_RULE } from "../../src/floor/prompts.js";
import { noEntities, type Intent } from "../../src/routing/intent.js";
import type { Inbound } from "../../src/slack/inbound.js";
import { createLogger } from "../../src/logger.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";

const logger = createLogger({ level: "silent" });

function inbound(overrides: Partial<Inbound> = {}): Inbound {
  return { id: "Ev1", source: "mention", territory: "T1", room: { id: "C1", kind: "channel" }, threadTs: "100.1", ts: "100.9", user: "U1", text: "", history: [], ...overrides };
}
const intent = (category: Intent["category"], action: string): Intent => ({ category, action, confidence: 0.9, entities: noEntities(), source: "local" });

class ScriptedModel implements FloorModel {
  readonly configured = true;
  readonly calls: Array<{ system: string; messages: Array<{ role: string; content: string }> }> = [];
  constructor(private readonly script: () => AsyncIterable<string>) {}
  streamText(input: { system: string; messages: Array<{ role: "user" | "assistant"; content: string }> }): AsyncIterable<string> {
    this.calls.push(input);
    return this.script();
  }
}

async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let out = "";
  for await (const c of chunks) out += c;
  return out;
}

describe("conversational floor", () => {
  let db: TestDatabase;
  let assembler: ContextAssembler;
  beforeAll(async () => {
    db = await createTestDatabase();
    assembler = new ContextAssembler({ prisma: db.prisma, storageDescription: "the embedded database", modelConfigured: () => false });
  });
  afterAll(async () => db?.dispose());

  it("says it remembers nothing when the room has no memory, rather than inventing some", async () => {
    const floor = new ConversationalFloor({ assembler, logger, failureSentence: () => undefined });
    const result = await floor.answer({ intent: intent("MEMORY", "recall_room"), inbound: inbound(), text: "what do you remember about this channel", signal: new AbortController().signal });
    expect(result.kind).toBe("reply");
    expect(result.kind === "reply" && result.text).toMatch(/I don't remember anything about this conversation yet/);
  });

  it("renders what it does remember about a room from RoomMemory", async () => {
    const territory = await db.prisma.territory.create({ data: { slackTeamId: "T2", name: "Acme" } });
    const room = await db.prisma.room.create({ data: { territoryId: territory.id, slackChannelId: "C9", name: "mobile" } });
    await db.prisma.roomMemory.create({ data: { roomId: room.id, key: "linked repository", value: "acme/mobile" } });
    const floor = new ConversationalFloor({ assembler, logger, failureSentence: () => undefined });
    const result = await floor.answer({ intent: intent("MEMORY", "recall_room"), inbound: inbound({ territory: "T2", room: { id: "C9", kind: "channel" } }), text: "what do you remember", signal: new AbortController().signal });
    expect(result.kind === "reply" && result.text).toContain("What I remember about <#C9>");
    expect(result.kind === "reply" && result.text).toContain("linked repository: acme/mobile");
  });

  it("answers TRUST from the schema and the deployment, naming every table", async () => {
    const domain = await assembler.domain("TRUST", inbound());
    const text = renderDomainContext(domain);
    for (const word of ["what was said to me", "Slack user ids", "never in the database", "the embedded database", "nothing is sent to a model provider"]) expect(text).toContain(word);
  });

  it("sends the model the 6 latest turns, both sides, the context block and the no-fabrication rule", async () => {
    const history = Array.from({ length: 9 }, (_, i) => ({ ts: `200.${i + 10}`, user: i % 2 ? undefined : "U1", fromPiper: i % 2 === 1, text: `turn ${i}` }));
    const model = new ScriptedModel(async function* () {
      yield "I'm Piper";
      yield ", your PM assistant.";
    });
    const floor = new ConversationalFloor({ assembler, model, logger, failureSentence: () => undefined });
    const result = await floor.answer({ intent: intent("IDENTITY", "who_are_you"), inbound: inbound({ history }), text: "who are you, really?", signal: new AbortController().signal });
    expect(result.kind).toBe("stream");
    expect(result.kind === "stream" && (await collect(result.chunks))).toBe("I'm Piper, your PM assistant.");
    const sent = model.calls[0]!;
    expect(sent.system).toContain(NO_FABRICATION_RULE);
    expect(sent.system).toContain("<domain_context>");
    expect(sent.system).toContain("What I can do today");
    const said = sent.messages.map((m) => m.content).join("\n");
    expect(said).toContain("who are you, really?");
    for (let i = 9 - HISTORY_TURNS; i < 9; i++) expect(said).toContain(`turn ${i}`);
    expect(said).not.toContain("turn 2");
    expect(sent.messages[0]!.role).toBe("user");
    expect(sent.messages.at(-1)?.role).toBe("user");
    expect(sent.messages.at(-1)?.content.endsWith("who are you, really?")).toBe(true);
  });

  it("falls back to the template, with the failure's sentence, when the model can't start", async () => {
    const model = new ScriptedModel(async function* () {
      throw new Error("HTTP 529");
    });
    const floor = new ConversationalFloor({ assembler, model, logger, failureSentence: () => "The model is overloaded right now." });
    const result = await floor.answer({ intent: intent("DISCOVERY", "what_can_you_do"), inbound: inbound(), text: "what can you do", signal: new AbortController().signal });
    expect(result.kind).toBe("reply");
    const text = result.kind === "reply" ? result.text : "";
    expect(text).toMatch(/^_The model is overloaded right now._/);
    expect(text).toContain("What I can do today");
  });

  it("asks one clarifying question about its guess, and names the parts of a compound request", async () => {
    const floor = new ConversationalFloor({ assembler, logger, failureSentence: () => undefined });
    const unclear = await floor.answer({
      intent: { ...intent("UNKNOWN", "unclear"), guess: { category: "SYNTHESIS", action: "summarize_thread", confidence: 0.3 } },
      inbound: inbound(), text: "the thing", signal: new AbortController().signal,
    });
    expect(unclear.kind === "reply" && unclear.text).toContain("did you want me to summarize this thread?");
    const compound = await floor.answer({
      intent: { ...intent("EXECUTION", "create_issue"), parts: [
        { text: "create an issue for the login bug", category: "EXECUTION", action: "create_issue", confidence: 0.8 },
        { text: "what's blocking the release", category: "STATUS", action: "blockers", confidence: 0.7 },
      ] },
      inbound: inbound(), text: "x", signal: new AbortController().signal,
    });
    expect(compound.kind === "reply" && compound.text).toMatch(/I see two requests — which first\?[\s\S]*1\. create an issue[\s\S]*2\. list what's blocked/);
  });

  it("keeps the turns the API accepts: alternating, starting with the person", () => {
    expect(conversation([{ role: "assistant", text: "a" }, { role: "user", text: "b" }, { role: "user", text: "c" }], "d")).toEqual([
      { role: "user", content: "(earlier in this Slack thread)" },
      { role: "assistant", content: "a" },
      { role: "user", content: "b\n\nc\n\nd" },
    ]);
    expect(recentTurns({ ts: "5", history: [{ ts: "4", fromPiper: true, text: "hi" }, { ts: "5", fromPiper: false, text: "self" }] })).toEqual([{ role: "assistant", text: "hi" }]);
  });
});
