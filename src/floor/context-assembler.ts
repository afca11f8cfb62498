// Builds what the conversational floor may talk about: a domain_context block per category, from live data only, plus the thread's last turns.
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";
import { available, CAPABILITIES, type Capability } from "../routing/capabilities.js";
import type { Category } from "../routing/intent.js";
import type { Inbound } from "../slack/inbound.js";
import { normalizeSlackText } from "../slack/message-text.js";
import { RoomMemoryStore, type RoomFact } from "../spatial/memory.js";
import { hoursText, roomProfile } from "../spatial/room-profile.js";

/** One fact per line; the floor's prompt and its no-model templates both read these. */
export interface DomainContext {
  category: Category;
  /** Short headed sections: `{ heading: "What I can do", lines: [...] }`. Empty means: nothing known. */
  sections: Array<{ heading: string; lines: string[] }>;
}

export interface Turn {
  role: "user" | "assistant";
  text: string;
}

export interface FloorContext {
  domain: DomainContext;
  /** The last turns of this conversation, oldest first: the person's words and Piper's replies. */
  history: Turn[];
}

/** The floor sees this many earlier turns (the seed's lesson: both sides of the conversation). */
export const HISTORY_TURNS = 6;

/**
 * What each table holds, said to a person. Keyed by Prisma's own model list, so adding a table without
 * saying what it stores fails to compile: the TRUST answer can't silently fall behind the schema.
 */
const STORED: Readonly<Record<Prisma.ModelName, string>> = {
  Territory: "the Slack workspace's id and name",
  Room: "each channel or DM I've seen: its id, name, kind and topic, when it was last active, and its attention: a decaying score, counts of recent questions and urgent words, and the ids of its recent participants (no message text)",
  Person: "Slack user ids, display names and time zones of people who talked to me, and the GitHub login a person told me is theirs",
  ConversationTurn: "what was said to me and what I answered, with the intent I understood, per thread",
  ProcessedEvent: "Slack event ids of app-home and assistant events, so a retried event isn't answered twice (pruned after 24 hours)",
  Project: "projects you told me about, per workspace, the GitHub repository or Notion page each is linked to, and which one is the workspace's default",
  WorkflowRun: "each workflow I ran (type, status, timings, its result or error) and where I posted it",
  TaskRun: "the steps of those workflows and how each went",
  RoomMemory: "facts you asked me to remember about a channel (e.g. the repository it's linked to)",
  FeedbackVote: "the 👍/👎 people gave my answers, with what they had asked and how I understood it",
  FocusPin: "which channels each person pinned to the top of their `/piper focus` list",
  PageDraft: "Notion pages I offered to write for you (a standup, a summary): where, the title and content, who asked, and whether it was created",
  IssueDraft: "issues I drafted for you to confirm: the repository, title, body and labels, who asked, and whether it was created, cancelled or expired",
  StandupSchedule: "each channel's scheduled standup: the days, time and time zone, who set it, whether it is on, and which slot last ran",
};

export interface ContextAssemblerDeps {
  prisma: PrismaClient;
  /** "the embedded database in ./data" or "a PostgreSQL database": where the data lives. */
  storageDescription: string;
  /** Whether a language model is configured (changes what Piper says it can do). */
  modelConfigured: () => boolean;
  capabilities?: readonly Capability[];
  /** The clock room profiles count back from (tests fix it). */
  now?: () => Date;
}

export class ContextAssembler {
  constructor(private readonly deps: ContextAssemblerDeps) {}

  async assemble(category: Category, inbound: Inbound): Promise<FloorContext> {
    return { domain: await this.domain(category, inbound), history: recentTurns(inbound) };
  }

  async domain(category: Category, inbound: Inbound): Promise<DomainContext> {
    switch (category) {
      case "IDENTITY":
        return { category, sections: [this.#identity(), this.#abilities()] };
      case "DISCOVERY":
        return { category, sections: [this.#abilities(), this.#examples()] };
      case "TRUST":
        return { category, sections: this.#trust() };
      case "MEMORY":
        return { category, sections: await this.#memory(inbound) };
      default:
        // GUIDANCE (practice), CONVERSATION and UNKNOWN: no user data belongs in the answer.
        return { category, sections: [] };
    }
  }

  #identity(): { heading: string; lines: string[] } {
    return {
      heading: "Who I am",
      lines: [
        "I'm Piper, a project-management assistant that lives in Slack.",
        "I read your GitHub and Notion through the tokens whoever runs me configured, and answer in the thread I'm asked in.",
        this.deps.modelConfigured()
          ? "A language model helps me understand requests and hold a conversation; it never acts on its own."
          : "No language model is configured, so I route requests with my own classifier and answer from your data.",
      ],
    };
  }

  #abilities(): { heading: string; lines: string[] } {
    const caps = available(this.deps.capabilities ?? CAPABILITIES);
    return {
      heading: "What I can do today",
      lines: caps.map((c) => `${c.subcommand ? `\`${c.subcommand}\`` : c.usage}: ${c.description}`),
    };
  }

  #examples(): { heading: string; lines: string[] } {
    const caps = available(this.deps.capabilities ?? CAPABILITIES);
    return { heading: "Things to try", lines: caps.flatMap((c) => (c.example ? [`“${c.example.message}”`] : [])) };
  }

  #trust(): Array<{ heading: string; lines: string[] }> {
    return [
      { heading: "What I store", lines: Object.values(STORED) },
      {
        heading: "Where and for how long",
        lines: [
          `Everything is in ${this.deps.storageDescription}, run by whoever runs Piper — nothing goes to a service of mine.`,
          "Conversation turns and room facts are kept until someone deletes them; event ids are pruned after 24 hours.",
          "Tokens (Slack, GitHub, Notion, the model key) live in Piper's environment, never in the database, and are redacted from logs.",
          this.deps.modelConfigured()
            ? "When I use the language model, the message and the recent turns of the thread are sent to Anthropic's API."
            : "No language model is configured, so nothing is sent to a model provider.",
        ],
      },
    ];
  }

  /**
   * What Piper remembers about the room asked in — or about the one channel the message links
   * ("what do you know about #mobile"), when that channel isn't private: a private channel's memory
   * is said only inside it. Stored facts first (link, purpose, notes with who and when), then what the
   * turns show (what's asked here, when).
   */
  async #memory(inbound: Inbound): Promise<Array<{ heading: string; lines: string[] }>> {
    const channel = this.#memoryRoom(inbound);
    const room = await this.deps.prisma.room.findFirst({
      where: { slackChannelId: channel, territory: { slackTeamId: inbound.territory } },
      select: { id: true, name: true, kind: true, lastActivityAt: true },
    });
    if (!room || (channel !== inbound.room.id && (room.kind === "private" || room.kind === "dm"))) return [];
    const [facts, profile] = await Promise.all([new RoomMemoryStore(this.deps.prisma).facts(inbound.territory, channel), roomProfile(this.deps.prisma, room.id, this.deps.now?.())]);
    if (facts.length === 0 && profile.turns === 0 && !profile.topic) return [];
    const names = await this.#names(facts.flatMap((f) => (f.by ? [f.by] : [])));
    const lines: string[] = [];
    for (const fact of facts.filter((f) => f.kind === "linked_repo")) {
      const project = await this.deps.prisma.project.findFirst({ where: { githubRepo: { equals: fact.text, mode: "insensitive" } }, select: { name: true } });
      lines.push(`Linked repository: ${fact.text}${project ? ` (the ${project.name} project)` : ""}${provenance(fact, names)}`);
    }
    if (profile.topic) lines.push(`Purpose (the channel topic): ${profile.topic}`);
    for (const fact of facts.filter((f) => f.kind === "note")) lines.push(`“${fact.text}”${provenance(fact, names)}`);
    for (const fact of facts.filter((f) => f.kind === "other")) lines.push(`${fact.key}: ${fact.text}`);
    // A channel link shows the channel's current name in Slack whether or not Piper has learned it yet (and never notifies).
    const here = room.kind === "dm" ? "this conversation" : `<#${channel}>`;
    const remembered = { heading: `What I remember about ${here}`, lines };
    const activityLines = [`${profile.turns} request(s) to me here${room.lastActivityAt ? `, the last at ${room.lastActivityAt.toISOString().slice(0, 16).replace("T", " ")} UTC` : ""}.`];
    if (profile.intents.length > 0) {
      activityLines.push(`Asked most in the last ${profile.windowDays} days: ${profile.intents.map((i) => `${i.category.toLowerCase()} (${i.count})`).join(", ")}.`);
    }
    if (profile.activeHours && profile.recentTurns > 1) activityLines.push(`Most active ${hoursText(profile.activeHours)} (${profile.activeHours.count} of ${profile.recentTurns} requests).`);
    const activity = { heading: "Activity", lines: activityLines };
    if (profile.turns === 0) return [remembered];
    return lines.length > 0 ? [remembered, activity] : [activity];
  }

  /** The channel the question is about: the one channel the message links, else the one it was asked in. */
  #memoryRoom(inbound: Inbound): string {
    const linked = normalizeSlackText(inbound.text).rooms;
    return linked.length === 1 ? linked[0]!.id : inbound.room.id;
  }

  /** Display names of the people who told Piper things, where Piper knows them (Person rows); ids otherwise. */
  async #names(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const people = await this.deps.prisma.person.findMany({ where: { slackUserId: { in: [...new Set(ids)] } }, select: { slackUserId: true, displayName: true } });
    return new Map(people.flatMap((p) => (p.displayName ? [[p.slackUserId, p.displayName] as const] : [])));
  }
}

/** " — noted by U123 on 2025-03-04": who asked Piper to remember it and when. No `<@…>`: a recalled fact shouldn't ping its author. */
function provenance(fact: RoomFact, names: Map<string, string>): string {
  const who = fact.by ? ` by ${names.get(fact.by) ?? fact.by}` : "";
  const when = fact.at ? ` on ${fact.at.slice(0, 10)}` : "";
  return who || when ? ` — noted${who}${when}` : "";
}

/** The thread's last turns as the model's roles, oldest first (the message being answered is not one of them). */
export function recentTurns(inbound: Pick<Inbound, "history" | "ts">): Turn[] {
  return inbound.history
    .filter((m) => m.ts !== inbound.ts && m.text.trim() !== "")
    .slice(-HISTORY_TURNS)
    .map((m) => ({ role: m.fromPiper ? "assistant" : "user", text: m.text }));
}

/** The block as the model reads it; "(nothing known)" is explicit so the prompt's rule has something to hold on to. */
export function renderDomainContext(domain: DomainContext): string {
  if (domain.sections.length === 0) return "<domain_context>\n(nothing known)\n</domain_context>";
  const body = domain.sections.map((s) => `## ${s.heading}\n${s.lines.map((l) => `- ${l}`).join("\n")}`).join("\n\n");
  return `<domain_context>\n${body}\n</domain_context>`;
}
