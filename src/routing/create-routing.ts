// Builds the classifiers once, for Piper and for `piper route` alike: the local classifier (trained or read from its cache) and, with a key, the model's.
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import type { LlmClient } from "../integrations/llm.js";
import { IntentResolver } from "./intent-resolver.js";
import { LlmClassifier } from "./llm-classifier.js";
import { isIntegrationError } from "../integrations/errors.js";
import { classifyLlmFailure } from "./llm-failures.js";
import { LocalIntentModel } from "./local-intent-model.js";
import { loadUtterances, type Utterance } from "./utterances/index.js";

/**
 * Read from `cacheDir` when a model trained on exactly these utterances is there (the file name
 * carries a hash of them, so editing a JSONL file retrains on the next start), else trained and saved.
 */
export function trainLocalModel(cacheDir: string, logger: Logger, utterances: Utterance[] = loadUtterances()): LocalIntentModel {
  return LocalIntentModel.loadOrTrain(utterances, cacheDir, logger);
}

/** Beside the embedded database Piper opened itself; otherwise (PostgreSQL, tests) the temp folder. */
export function classifierCacheDir(database: Config["database"], ownDatabase: boolean): string {
  return ownDatabase && database.kind === "pglite" && database.dataDir !== ":memory:" ? database.dataDir : join(tmpdir(), "piper-classifier-cache");
}

export interface RoutingDeps {
  config: Config;
  logger: Logger;
  llm: LlmClient;
  /** False while the model's breaker is open. */
  llmAvailable: () => boolean;
  knownProjects: () => Promise<string[]>;
  botUserId?: () => string | undefined;
  /** Where the trained local classifier is cached (see classifierCacheDir). */
  classifierCacheDir: string;
  local?: LocalIntentModel;
}

export function createIntentResolver(deps: RoutingDeps): IntentResolver {
  const local = deps.local ?? trainLocalModel(deps.classifierCacheDir, deps.logger);
  const llm = deps.llm.configured ? new LlmClassifier({ llm: deps.llm, model: deps.llm.models.classifier }) : undefined;
  return new IntentResolver({
    local,
    llm,
    llmAvailable: deps.llmAvailable,
    knownProjects: deps.knownProjects,
    timeZone: deps.config.timeZone,
    botUserId: deps.botUserId,
    failureSentence: modelFailureSentence,
    logger: deps.logger.child({ component: "routing" }),
  });
}

/**
 * The sentence for a model failure, so the answer can go on without the model; undefined for anything
 * else (a bug), which must surface as an error rather than hide behind a fallback.
 */
export function modelFailureSentence(err: unknown): string | undefined {
  return isIntegrationError(err) && err.service === "llm" ? classifyLlmFailure(err).sentence : undefined;
}
