// The routing graph: Slack text → normalized message → Intent → gate → exactly one of canonical handler, conversational floor, workflow dispatcher.
import { answerSmallTalk } from "../handlers/conversation.js";
import type { CanonicalHandlers } from "../handlers/index.js";
import type { RoomMemoryHandler } from "../handlers/room-memory.js";
import type { FocusCommands, WatchCommands } from "../spatial/commands.js";
import { answerSetupGuidance, type SetupGuidanceInput } from "../handlers/setup-guidance.js";
import type { Logger } from "../logger.js";
import { recentTurns } from "../floor/context-assembler.js";
import type { ConversationalFloor } from "../floor/floor.js";
import { quoteUserText } from "../slack/format.js";
import { conversationKey, type Inbound } from "../slack/inbound.js";
import { normalizeSlackText } from "../slack/message-text.js";
import { terminalFor } from "./gate.js";
import { helpText, notYetText } from "./help.js";
import type { Intent, Terminal } from "./intent.js";
import type { IntentResolver, Resolution } from "./intent-resolver.js";
import { noEntities } from "./intent.js";
import { scheduleCommand, type ScheduleCommand } from "../workflows/schedules/parse.js";
import { reply, type Progress, type RouterResult, type Router } from "./router.js";
import type { WorkflowDispatcher } from "./workflow-dispatcher.js";

export interface GraphRouterDeps {
  resolver: IntentResolver;
  floor: ConversationalFloor;
  workflows: WorkflowDispatcher;
  handlers: CanonicalHandlers;
  /** PORTFOLIO: the projects list. */
  projects: () => Promise<string>;
  /** STATUS/health: the rendered health report. */
  health: () => Promise<string>;
  setup: () => SetupGuidanceInput;
  modelConfigured: () => boolean;
  logger: Logger;
  /**
   * The room's own memory: writes "remember …"/"forget …" (MEMORY remember_fact/forget, otherwise the
   * floor's) and gives the GitHub handlers the room's linked repository when a message names none.
   * Without it those stay with the floor and every repository is in scope, as before issue 11.
   */
  memory?: RoomMemoryHandler;
  /** `/piper focus` and "what needs my attention?" (the spatial navigator); absent: "not built yet". */
  focus?: FocusCommands;
  /** `/piper watch` / `unwatch`; absent: "not built yet". */
  watch?: WatchCommands;
  /** `standup every weekday 9:30` / `standup schedule` / `standup off`; absent: a standup like any other. */
  schedules?: { handle(command: ScheduleCommand, inbound: Inbound): Promise<RouterResult> };
}

/** Said once per conversation when answers come without a model, so nobody mistakes the limits for Piper's best. */
export const NO_MODEL_NOTE = "No language model is configured, so I understood this with my own classifier — my answers are more limited than they could be.";

export class GraphRouter implements Router {
  readonly #noted = new BoundedSet(5_000);

  constructor(private readonly deps: GraphRouterDeps) {}

  activity(inbound: Inbound): string {
    return inbound.text ? `answering “${quoteUserText(inbound.text, 60)}”` : "answering you";
  }

  async route(inbound: Inbound, progress: Progress, signal: AbortSignal): Promise<RouterResult> {
    const message = normalizeSlackText(inbound.text);
    const { intent, modelFailure } = this.#scheduleIntent(message.text) ?? (await this.deps.resolver.resolve({ message, slash: inbound.source === "slash", history: recentTurns(inbound) }, signal));
    // The gate sends MEMORY to the floor; writing the room's memory is deterministic and answered here instead.
    const terminal = this.#memoryWrite(intent) ? "canonical" : terminalFor(intent);
    this.deps.logger.info({ requestId: inbound.id, category: intent.category, action: intent.action, confidence: round(intent.confidence), source: intent.source, terminal, compound: intent.parts !== undefined }, "routed");
    const result = await this.#reach(terminal, intent, inbound, message.text, progress, signal);
    return this.#decorate(result, intent, inbound, modelFailure);
  }

  /** The one terminal this intent reaches. */
  async #reach(terminal: Terminal, intent: Intent, inbound: Inbound, text: string, progress: Progress, signal: AbortSignal): Promise<RouterResult> {
    if (terminal === "floor") return this.deps.floor.answer({ intent, inbound, text, signal });
    if (terminal === "workflow") return this.deps.workflows.dispatch({ intent, inbound, progress, signal });
    return this.#canonical(intent, inbound, text, progress, signal);
  }

  /**
   * "standup every weekday 9:30" is a command, written one way: no classifier weighs it (a mention's
   * longer wording would otherwise be a guess), and it reaches the standup branch below as what it is.
   */
  #scheduleIntent(text: string): Resolution | undefined {
    if (!this.deps.schedules || !scheduleCommand(text)) return undefined;
    return { intent: { category: "STATUS", action: "standup", confidence: 1, entities: noEntities(), source: "pre" } };
  }

  /** MEMORY remember_fact/forget with a memory to write to, and not one part of a compound request (the floor asks which first). */
  #memoryWrite(intent: Intent): boolean {
    return this.deps.memory !== undefined && intent.category === "MEMORY" && (intent.action === "remember_fact" || intent.action === "forget") && !(intent.parts && intent.parts.length > 1);
  }

  /**
   * A message that names no repository or project is about the room's linked repository, when it has
   * one ("what's blocking?" in #web means acme/web); otherwise the handlers look across every repository.
   */
  async #inRoomScope(intent: Intent, inbound: Inbound): Promise<Intent> {
    if (!this.deps.memory || intent.entities.repos.length > 0 || intent.entities.projects.length > 0) return intent;
    const repo = await this.deps.memory.linkedRepo(inbound);
    return repo ? { ...intent, entities: { ...intent.entities, repos: [repo] } } : intent;
  }

  async #canonical(original: Intent, inbound: Inbound, text: string, progress: Progress, signal: AbortSignal): Promise<RouterResult> {
    const h = this.deps.handlers;
    const reads = original.category === "STATUS" || original.category === "PRIORITY" || original.category === "TEMPORAL";
    const intent = reads ? await this.#inRoomScope(original, inbound) : original;
    switch (intent.category) {
      case "PORTFOLIO":
        return reply(await this.deps.projects());
      case "STATUS":
        if (intent.action === "health") return reply(await this.deps.health());
        if (intent.action === "standup") {
          // Setting, showing or stopping the channel's schedule is not a standup: checked first, in one function.
          const schedule = this.deps.schedules && scheduleCommand(text);
          if (schedule) return this.deps.schedules!.handle(schedule, inbound);
          // The standup is a workflow (src/workflows/standup/): its scope, reads and rendering are the dispatcher's.
          return this.deps.workflows.dispatch({ intent: original, inbound, progress, signal });
        }
        progress.update("Reading GitHub…");
        return intent.action === "blockers" ? h.blockers(intent) : h.projectStatus(intent);
      case "PRIORITY":
        if (intent.action === "focus") return this.deps.focus ? this.deps.focus.focus(inbound, text) : reply(unavailable("focus"));
        if (intent.action === "watch_room" || intent.action === "unwatch_room") {
          return this.deps.watch ? this.deps.watch.watch(inbound, intent.action === "watch_room") : reply(unavailable("watch"));
        }
        progress.update("Reading GitHub…");
        return h.priorities(intent);
      case "TEMPORAL":
        progress.update("Reading GitHub…");
        if (intent.action === "whats_due") return h.due(intent);
        if (intent.action === "whats_shipped") return h.shipped(intent);
        return h.recentActivity(intent);
      case "EXECUTION":
        // Acting on the world is a workflow: the dispatcher drafts and asks for a click before anything happens.
        return this.deps.workflows.dispatch({ intent, inbound, progress, signal });
      case "CONVERSATION":
        return answerSmallTalk(intent);
      case "GUIDANCE":
        return answerSetupGuidance(intent, this.deps.setup());
      case "DISCOVERY":
        return reply(helpText());
      case "MEMORY":
        if (this.deps.memory) return this.deps.memory.handle(intent, inbound, text);
        return this.deps.floor.answer({ intent, inbound, text: inbound.text, signal });
      default:
        // The gate sends nothing else here; answering rather than throwing keeps "one reply per request".
        this.deps.logger.error({ category: intent.category, action: intent.action }, "canonical terminal has no handler for this intent");
        return this.deps.floor.answer({ intent, inbound, text: inbound.text, signal });
    }
  }

  #decorate(result: RouterResult, intent: Intent, inbound: Inbound, modelFailure: string | undefined): RouterResult {
    const note = modelFailure ?? (intent.source === "local" && !this.deps.modelConfigured() && this.#noted.add(conversationKey(inbound)) ? NO_MODEL_NOTE : undefined);
    const feedback = intent.source !== "pre";
    if (result.kind === "stream") return { ...result, chunks: note ? prefixed(`_${note}_\n\n`, result.chunks) : result.chunks, intent, feedback };
    if (!note) return { ...result, intent, feedback };
    // Blocks, when a handler built them, get the note as their own first section; the text always carries it.
    const blocks = result.blocks ? [{ type: "context", elements: [{ type: "mrkdwn", text: `_${note}_` }] }, ...result.blocks] : undefined;
    return { ...result, text: `_${note}_\n\n${result.text}`, ...(blocks ? { blocks } : {}), intent, feedback };
  }
}

/** A spatial command asked of a router built without the spatial layer (a test, a tool): said, never an empty reply. */
function unavailable(word: string): string {
  return notYetText(word) ?? `\`${word}\` isn't available in this setup.`;
}

async function* prefixed(first: string, rest: AsyncIterable<string>): AsyncGenerator<string> {
  yield first;
  yield* rest;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** Remembers the most recent keys only: a set per conversation would grow for ever in a long-running process. */
class BoundedSet {
  readonly #keys = new Set<string>();
  constructor(private readonly max: number) {}
  /** True when the key is new. */
  add(key: string): boolean {
    if (this.#keys.has(key)) return false;
    this.#keys.add(key);
    if (this.#keys.size > this.max) this.#keys.delete(this.#keys.values().next().value!);
    return true;
  }
}
