// One message → one Intent: the pre-classifier when the message is unambiguous, else the model, else (no key, breaker open, bad output) the local classifier.
import type { Logger } from "../logger.js";
import type { NormalizedText } from "../slack/message-text.js";
import { detectCompound, type PartGuess } from "./compound.js";
import { extractEntities } from "./entities.js";
import type { Entities, Intent } from "./intent.js";
import type { LlmClassification, LlmClassifier } from "./llm-classifier.js";
import type { LocalIntentModel } from "./local-intent-model.js";
import { preClassify } from "./pre-classifier.js";

export interface ResolveInput {
  message: NormalizedText;
  /** A `/piper …` command: its first word is the subcommand. */
  slash: boolean;
  /** The thread's recent turns, oldest first, for the model's context. */
  history: Array<{ role: "user" | "assistant"; text: string }>;
}

export interface Resolution {
  intent: Intent;
  /** When the model was tried and failed: the sentence that tells the person (the answer still comes, from the fallback). */
  modelFailure?: string;
}

export interface IntentResolverDeps {
  local: LocalIntentModel;
  /** Present when a model key is configured. */
  llm?: LlmClassifier;
  /** False while the model's breaker is open: go straight to the local classifier instead of waiting to fail. */
  llmAvailable?: () => boolean;
  knownProjects: () => Promise<string[]>;
  now?: () => Date;
  timeZone: string;
  botUserId?: () => string | undefined;
  /** A model failure as the sentence people see; undefined means "not a model failure" and the error propagates. */
  failureSentence: (err: unknown) => string | undefined;
  logger: Logger;
  /** Below this (local category probability) Piper asks instead of guessing. */
  minConfidence?: number;
  /** EXECUTION acts on the world, so it needs more certainty than the rest. */
  minExecutionConfidence?: number;
}

export class IntentResolver {
  readonly #minConfidence: number;
  readonly #minExecution: number;

  constructor(private readonly deps: IntentResolverDeps) {
    this.#minConfidence = deps.minConfidence ?? 0.25;
    this.#minExecution = deps.minExecutionConfidence ?? 0.5;
  }

  async resolve(input: ResolveInput, signal?: AbortSignal): Promise<Resolution> {
    const knownProjects = await this.deps.knownProjects();
    const entities = extractEntities(input.message, {
      knownProjects,
      now: this.deps.now?.() ?? new Date(),
      timeZone: this.deps.timeZone,
      botUserId: this.deps.botUserId?.(),
    });
    const text = input.message.text;
    const pre = preClassify(text, { slash: input.slash });
    if (pre) return { intent: { ...pre, confidence: 1, entities, source: "pre" } };

    let modelFailure: string | undefined;
    const llm = this.deps.llm;
    if (llm && (this.deps.llmAvailable?.() ?? true)) {
      try {
        const classified = await llm.classify({ text, history: input.history, knownProjects }, signal);
        return { intent: this.#fromModel(classified, entities) };
      } catch (err) {
        if (signal?.aborted) throw err;
        modelFailure = this.deps.failureSentence(err);
        if (modelFailure === undefined) throw err;
        this.deps.logger.warn({ err }, "model classification failed; using the local classifier");
      }
    }
    return { intent: this.classifyLocally(text, entities), modelFailure };
  }

  /** The no-model path, also what `piper route` and the bench measure without a key. */
  classifyLocally(text: string, entities: Entities): Intent {
    const top = this.#guess(text);
    const parts = detectCompound(text, (part) => this.#guess(part));
    if (parts) return { category: parts[0]!.category, action: parts[0]!.action, confidence: top.confidence, entities, source: "local", parts };
    // "create an issue: <title>" is an order, not a guess; the title's own words (e.g. "…are late") must not
    // pull a bag-of-words model towards a question. Nothing is created without a click either way.
    if (entities.issueTitle !== undefined && ISSUE_ORDER.test(text)) {
      return { category: "EXECUTION", action: "create_issue", confidence: Math.max(top.confidence, this.#minExecution), entities, source: "local" };
    }
    return this.#gated({ ...top, entities, source: "local" });
  }

  #guess(text: string): PartGuess {
    return this.deps.local.guess(text);
  }

  #fromModel(c: LlmClassification, entities: Entities): Intent {
    const merged: Entities = {
      ...entities,
      repos: unique([...entities.repos, ...(c.hints?.repos ?? [])]),
      projects: unique([...entities.projects, ...(c.hints?.projects ?? [])]),
      issueTitle: entities.issueTitle ?? c.hints?.issueTitle,
    };
    const intent: Intent = { category: c.category, action: c.action, confidence: c.confidence, entities: merged, source: "llm" };
    if (c.guess) intent.guess = { category: c.guess.category, action: c.guess.action, confidence: c.confidence };
    if (c.compound && c.parts && c.parts.length > 1) {
      intent.parts = c.parts.map((p) => ({ text: p.text, category: p.category, action: p.action, confidence: c.confidence }));
    }
    return this.#gated(intent);
  }

  /** Abstain rather than guess: a low-confidence answer becomes UNKNOWN carrying the guess, so the floor can ask about it. */
  #gated(intent: Intent): Intent {
    const needed = intent.category === "EXECUTION" ? this.#minExecution : this.#minConfidence;
    if (intent.category === "UNKNOWN" || intent.confidence >= needed) return intent;
    return { ...intent, category: "UNKNOWN", action: "unclear", guess: { category: intent.category, action: intent.action, confidence: intent.confidence } };
  }
}

/** A message that opens by ordering an issue ("create an issue…", "please file a bug…"). */
const ISSUE_ORDER = /^(?:(?:please|pls|hey|ok|okay|can you|could you|would you)[\s,]+)*(?:create|file|open|raise|log|submit|make|write\s+up|add)\s+(?:(?:a|an|one|another)\s+)?(?:new\s+)?(?:github\s+)?(?:issue|bug|ticket)\b/i;

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
