// Intent action → workflow, with what each workflow needs before it may run. Validation runs first: a missing
// critical piece is one friendly question, and nothing executes.
import type { Intent } from "../routing/intent.js";
import type { Reply, RouterResult } from "../routing/router.js";
import type { WorkflowRequest } from "../routing/workflow-dispatcher.js";

/**
 * How much a workflow needs a piece of context: without a critical one it cannot run (Piper asks);
 * without an important one it runs and says what it lacked; an optional one is used when present.
 */
export type RequirementLevel = "critical" | "important" | "optional";

export type Found<V> =
  | { found: true; value: V }
  /** `ask` is the reply for a critical piece; `note` what the answer says for an important one. */
  | { found: false; ask?: Reply; note?: string };

export interface Requirement<C> {
  key: keyof C & string;
  level: RequirementLevel;
  resolve(request: WorkflowRequest): Promise<Found<C[keyof C & string]>>;
}

/** A check that runs once the context is complete, before anything executes (e.g. GitHub is reachable). */
export type PreCheck<C> = (request: WorkflowRequest, context: Partial<C>) => Promise<Reply | undefined>;

export interface WorkflowDefinition<C = Record<string, unknown>> {
  type: string;
  /** `CATEGORY:action` pairs this workflow answers. */
  handles: string[];
  requirements: Array<Requirement<C>>;
  checks?: Array<PreCheck<C>>;
  run(request: WorkflowRequest, context: Partial<C>, notes: string[]): Promise<RouterResult>;
}

export type Validation<C> = { ok: true; context: Partial<C>; notes: string[] } | { ok: false; reply: Reply };

export class WorkflowRegistry {
  readonly #byAction = new Map<string, WorkflowDefinition<never>>();

  register<C>(definition: WorkflowDefinition<C>): void {
    for (const key of definition.handles) {
      if (this.#byAction.has(key)) throw new Error(`two workflows handle ${key}`);
      this.#byAction.set(key, definition as unknown as WorkflowDefinition<never>);
    }
  }

  forIntent(intent: Pick<Intent, "category" | "action">): WorkflowDefinition<Record<string, unknown>> | undefined {
    return this.#byAction.get(`${intent.category}:${intent.action}`) as WorkflowDefinition<Record<string, unknown>> | undefined;
  }

  /** Validates, then runs: the one entry point the dispatcher uses. */
  async dispatch(definition: WorkflowDefinition<Record<string, unknown>>, request: WorkflowRequest): Promise<RouterResult> {
    const validation = await validate(definition, request);
    if (!validation.ok) return { ...validation.reply, intent: request.intent };
    return definition.run(request, validation.context, validation.notes);
  }
}

/**
 * Resolves every requirement in order (critical ones first), stopping at the first critical piece
 * that is missing; then runs the pre-execution checks. Nothing here acts on the outside world.
 */
export async function validate<C>(definition: WorkflowDefinition<C>, request: WorkflowRequest): Promise<Validation<C>> {
  const rank: Record<RequirementLevel, number> = { critical: 0, important: 1, optional: 2 };
  const ordered = [...definition.requirements].sort((a, b) => rank[a.level] - rank[b.level]);
  const context: Partial<C> = {};
  const notes: string[] = [];
  for (const requirement of ordered) {
    const found = await requirement.resolve(request);
    if (found.found) {
      context[requirement.key] = found.value;
      continue;
    }
    if (requirement.level === "critical") {
      return { ok: false, reply: found.ask ?? { kind: "reply", text: `I need to know the ${requirement.key} before I can do that.` } };
    }
    if (requirement.level === "important" && found.note) notes.push(found.note);
  }
  for (const check of definition.checks ?? []) {
    const refusal = await check(request, context);
    if (refusal) return { ok: false, reply: refusal };
  }
  return { ok: true, context, notes };
}
