// Pins that the local classifier learns intents from a few phrasings, generalises to new ones and typos, is deterministic, and caches safely.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LocalClassifier, loadOrTrain, tokenize, type LabelledText } from "../../src/routing/local-classifier.js";

const PHRASINGS: Record<string, string[]> = {
  greeting: [
    "hi", "hello", "hey", "hey piper", "hi there", "hello piper", "good morning", "good afternoon", "morning!", "hey hey",
    "yo", "hiya", "howdy", "greetings", "hello there :wave:", "hi piper 👋", "good evening", "hey, how's it going", "hi friend",
    "hello again", "sup", "hey there piper", "morning piper", "hi all", "hello hello",
  ],
  list_projects: [
    "list projects", "list my projects", "show projects", "show me all projects", "what projects do we have", "which projects are there",
    "projects", "projects please", "what are our projects", "give me the project list", "list all the projects", "show the projects we track",
    "what projects are you tracking", "which projects exist", "can you list the projects", "all projects", "project list",
    "what projects are active", "show active projects", "list current projects", "what projects am I on", "enumerate projects",
    "which projects do you know about", "display projects", "tell me our projects",
  ],
  create_issue: [
    "create an issue", "create issue: login fails", "open an issue for the crash", "file a bug", "file an issue about signup",
    "new issue: button misaligned", "make a ticket for the outage", "create a ticket", "open a ticket about slow search",
    "log a bug for the api timeout", "raise an issue", "add an issue to acme/web", "create a new issue called fix the footer",
    "please file a ticket", "new bug: dark mode broken", "open a bug report", "track this as an issue", "can you create an issue for #12",
    "make an issue: export csv fails", "create a github issue", "file this as a bug", "open issue for flaky test",
    "submit a bug about the login page", "add a ticket for onboarding copy", "create an issue to update docs",
  ],
  summarize: [
    "summarize", "summarize this thread", "summarise the thread", "give me a summary", "tl;dr", "tldr please", "recap this",
    "sum up the discussion", "summarize the conversation above", "what's the gist", "short summary please", "can you summarize this",
    "recap the thread", "summary of this discussion", "give me the tl;dr", "condense this thread", "summarize what was said",
    "quick recap", "brief summary of the thread", "boil this down", "what did everyone say", "summarize the channel",
    "summary please", "recap what happened here", "digest this thread",
  ],
};
const EXAMPLES: LabelledText[] = Object.entries(PHRASINGS).flatMap(([label, texts]) => texts.map((text) => ({ text, label })));

const HELD_OUT: Array<[string, string]> = [
  ["hey there", "greeting"], ["good morning piper", "greeting"], ["hello 👋", "greeting"], ["hi hi", "greeting"], ["howdy piper", "greeting"],
  ["show all my projects", "list_projects"], ["what projects are we running", "list_projects"], ["list the active projects", "list_projects"],
  ["which projects are you watching", "list_projects"], ["projects list please", "list_projects"],
  ["create an issue: search is slow", "create_issue"], ["file a bug about the crash on start", "create_issue"],
  ["open a ticket for the broken link", "create_issue"], ["new issue: typo in footer", "create_issue"], ["please log a bug", "create_issue"],
  ["summarize the thread please", "summarize"], ["tl;dr of this", "summarize"], ["give me a quick recap", "summarize"],
  ["can you sum this up", "summarize"], ["brief summary", "summarize"],
];

const model = LocalClassifier.train(EXAMPLES, { seed: 7 });

describe("LocalClassifier", () => {
  it("classifies held-out phrasings it never saw", () => {
    const wrong = HELD_OUT.filter(([text, label]) => model.top(text).label !== label).map(([text]) => `${text} → ${model.top(text).label}`);
    expect(wrong.length, wrong.join("; ")).toBeLessThanOrEqual(HELD_OUT.length * 0.1);
  });

  it("survives typos through its character n-grams", () => {
    expect(model.top("lsit projcts").label).toBe("list_projects");
    expect(model.top("sumarize this thred").label).toBe("summarize");
    expect(model.top("creat an isue").label).toBe("create_issue");
  });

  it("returns every label, sorted by probability, summing to 1", () => {
    const predictions = model.predict("show me the projects");
    expect(predictions.map((p) => p.label).sort()).toEqual([...model.labels].sort());
    for (let i = 1; i < predictions.length; i++) expect(predictions[i - 1]!.probability).toBeGreaterThanOrEqual(predictions[i]!.probability);
    expect(predictions.reduce((sum, p) => sum + p.probability, 0)).toBeCloseTo(1, 12);
    expect(model.top("show me the projects")).toEqual(predictions[0]);
  });

  it("is less sure of gibberish than of a message in its domain", () => {
    expect(model.top("zxqv plorp").probability).toBeLessThan(model.top("list my projects").probability);
    expect(model.top("zxqv plorp").probability).toBeLessThan(0.6);
    expect(model.predict("").reduce((sum, p) => sum + p.probability, 0)).toBeCloseTo(1, 12);
  });

  it("trains to the same model from the same data and seed", () => {
    const again = LocalClassifier.train(EXAMPLES, { seed: 7 });
    expect(again.toJSON()).toEqual(model.toJSON());
    for (const [text] of HELD_OUT) expect(again.predict(text)).toEqual(model.predict(text));
  });

  it("predicts identically after a JSON round trip", () => {
    const copy = LocalClassifier.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    expect(copy.labels).toEqual(model.labels);
    for (const [text] of [...HELD_OUT, ["zxqv plorp"]]) expect(copy.predict(text!)).toEqual(model.predict(text!));
  });

  it("rejects a model of another format version or with inconsistent sizes", () => {
    const json = model.toJSON();
    expect(() => LocalClassifier.fromJSON({ ...json, version: 999 })).toThrow(/format/);
    expect(() => LocalClassifier.fromJSON({ ...json, bias: [0] })).toThrow(/bias/);
    expect(() => LocalClassifier.fromJSON({ ...json, idf: Buffer.from([0, 0, 0, 0]).toString("base64") })).toThrow(/sizes/);
  });

  it("tokenises emoji and shortcodes as tokens, drops punctuation and collapses digits", () => {
    expect(tokenize("Hey :wave: 👋🏽 — what's #1234 in Q3?!")).toEqual(["hey", ":wave:", "👋🏽", "whats", "0", "in", "q0"]);
  });
});

describe("loadOrTrain", () => {
  const dirs: string[] = [];
  const cacheDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "piper-clf-"));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it("trains and writes the cache, leaving no temporary file", () => {
    const dir = cacheDir();
    const trained = loadOrTrain(EXAMPLES, { cacheDir: dir, dataHash: "abc" });
    expect(readdirSync(dir)).toEqual(["local-classifier-abc.json"]);
    const cached = LocalClassifier.fromJSON(JSON.parse(readFileSync(join(dir, "local-classifier-abc.json"), "utf8")));
    expect(cached.predict("hello")).toEqual(trained.predict("hello"));
  });

  it("reuses a cached model instead of training", () => {
    const dir = cacheDir();
    // A model trained on other labels, stored under this hash: if it is what comes back, nothing was retrained.
    const other = LocalClassifier.train([
      { text: "red apple", label: "fruit" }, { text: "green apple", label: "fruit" },
      { text: "blue car", label: "vehicle" }, { text: "red car", label: "vehicle" },
    ], { minDf: 1 });
    writeFileSync(join(dir, "local-classifier-abc.json"), JSON.stringify(other));
    const loaded = loadOrTrain(EXAMPLES, { cacheDir: dir, dataHash: "abc" });
    expect(loaded.labels).toEqual(["fruit", "vehicle"]);
    // A different hash is a different file: trained on the examples.
    expect(loadOrTrain(EXAMPLES, { cacheDir: dir, dataHash: "def" }).labels).toEqual(model.labels);
  });

  it("ignores and replaces a corrupt or outdated cache", () => {
    const dir = cacheDir();
    const file = join(dir, "local-classifier-abc.json");
    const warnings: unknown[] = [];
    const logger = { info: () => {}, warn: (...args: unknown[]) => void warnings.push(args) };
    for (const bad of ["{ not json", JSON.stringify({ ...model.toJSON(), version: 0 })]) {
      writeFileSync(file, bad);
      const loaded = loadOrTrain(EXAMPLES, { cacheDir: dir, dataHash: "abc", logger: logger as never });
      expect(loaded.labels).toEqual(model.labels);
      expect(LocalClassifier.fromJSON(JSON.parse(readFileSync(file, "utf8"))).labels).toEqual(model.labels);
    }
    expect(warnings).toHaveLength(2);
  });

  it("trains without touching disk when no cache directory is given", () => {
    expect(loadOrTrain(EXAMPLES, { dataHash: "abc" }).labels).toEqual(model.labels);
  });
});
