// The no-model classifier as Piper uses it: one model for the category (where accuracy matters most) and one for the action within it.
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../logger.js";
import type { PartGuess } from "./compound.js";
import { isCategory, type Category } from "./intent.js";
import { LocalClassifier, loadOrTrain } from "./local-classifier.js";
import { normalizeSlackText } from "../slack/message-text.js";
import { dataHash, type Utterance } from "./utterances/index.js";

/**
 * Why two models: trained on `CATEGORY:action` labels, each label has a third of a category's
 * examples and the category's probability is spread over its actions; trained on categories, the
 * model sees all of a category's examples as one class and places messages measurably better
 * (see `npm run bench`'s routing table). The action model only picks among the winning category's actions.
 */
export class LocalIntentModel {
  constructor(
    readonly categories: LocalClassifier,
    readonly actions: LocalClassifier,
  ) {}

  static train(utterances: Utterance[]): LocalIntentModel {
    const { byCategory, byAction } = examples(utterances);
    return new LocalIntentModel(LocalClassifier.train(byCategory), LocalClassifier.train(byAction));
  }

  /** Read from `cacheDir` when models trained on exactly these utterances are there; else trained and saved. */
  static loadOrTrain(utterances: Utterance[], cacheDir: string, logger?: Logger): LocalIntentModel {
    const { byCategory, byAction } = examples(utterances);
    const hash = dataHash(utterances);
    const model = new LocalIntentModel(
      loadOrTrain(byCategory, { cacheDir, dataHash: `category-${hash}`, logger }),
      loadOrTrain(byAction, { cacheDir, dataHash: `action-${hash}`, logger }),
    );
    pruneStaleModels(cacheDir, hash);
    return model;
  }

  guess(text: string): PartGuess {
    const top = this.categories.top(text);
    const category: Category = isCategory(top.label) ? top.label : "UNKNOWN";
    const prefix = `${category}:`;
    const action = this.actions.predict(text).find((p) => p.label.startsWith(prefix))?.label.slice(prefix.length) ?? "unclear";
    return { category, action, confidence: top.probability };
  }
}

/** Trained on the text as classifiers see it at run time (markup read); compound lines are mixtures of two labels and would blur both. */
function examples(utterances: Utterance[]) {
  const single = utterances.filter((u) => !u.compound).map((u) => ({ ...u, text: normalizeSlackText(u.text).text }));
  return {
    byCategory: single.map((u) => ({ text: u.text, label: u.category })),
    byAction: single.map((u) => ({ text: u.text, label: `${u.category}:${u.action}` })),
  };
}

/** Models trained on earlier versions of the utterances are never read again: each edit would otherwise leave ~4 MB behind. */
function pruneStaleModels(cacheDir: string, hash: string): void {
  let names: string[];
  try {
    names = readdirSync(cacheDir);
  } catch {
    return;
  }
  for (const name of names) {
    if (/^local-classifier-(category|action)-[0-9a-f]+\.json$/.test(name) && !name.endsWith(`-${hash}.json`)) rmSync(join(cacheDir, name), { force: true });
  }
}
