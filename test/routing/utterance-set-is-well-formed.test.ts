import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ACTIONS, CATEGORIES, type Category } from "../../src/routing/intent.js";
import {
  dataHash,
  loadUtterances,
  normalizeText,
  splitHeldOut,
  type Utterance,
} from "../../src/routing/utterances/index.js";

const MIN_PER_CATEGORY = 60;
const MIN_TOTAL = 1_200;

const all = loadUtterances();
/** Single-request lines: compound lines belong to several categories and are counted apart. */
const single = all.filter((u) => !u.compound);

function countBy(list: readonly Utterance[]): Map<Category, number> {
  const counts = new Map<Category, number>();
  for (const u of list) counts.set(u.category, (counts.get(u.category) ?? 0) + 1);
  return counts;
}

describe("the labelled utterance set is well formed", () => {
  it("loads every line of every file", () => {
    expect(all.length).toBeGreaterThan(0);
  });

  it(`holds at least ${MIN_TOTAL} utterances in all`, () => {
    expect(all.length).toBeGreaterThanOrEqual(MIN_TOTAL);
  });

  const counts = countBy(single);
  it.each(CATEGORIES.map((c) => [c]))(`%s has at least ${MIN_PER_CATEGORY} utterances`, (category) => {
    expect(counts.get(category) ?? 0).toBeGreaterThanOrEqual(MIN_PER_CATEGORY);
  });

  it("labels every plain line with an action its category knows", () => {
    const wrong = all
      .filter((u) => !u.compound && !u.hostile)
      .filter((u) => !ACTIONS[u.category].includes(u.action))
      .map((u) => `${u.category}/${u.action}: ${u.text}`);
    expect(wrong).toEqual([]);
  });

  it("labels hostile lines UNKNOWN / decline and gives compound lines at least two parts", () => {
    for (const u of all.filter((x) => x.hostile)) expect([u.category, u.action]).toEqual(["UNKNOWN", "decline"]);
    for (const u of all.filter((x) => x.compound)) expect(u.parts?.length ?? 0).toBeGreaterThanOrEqual(2);
  });

  it("has no duplicates, ignoring case and whitespace", () => {
    const seen = new Map<string, Utterance>();
    const dupes: string[] = [];
    for (const u of all) {
      const key = normalizeText(u.text);
      const first = seen.get(key);
      if (first) dupes.push(`"${u.text}" (${first.category} and ${u.category})`);
      else seen.set(key, u);
    }
    expect(dupes).toEqual([]);
  });
});

describe("the held-out split", () => {
  const { train, test } = splitHeldOut(all);

  it("is deterministic and independent of order", () => {
    const again = splitHeldOut([...all].reverse());
    expect(new Set(again.test.map((u) => u.text))).toEqual(new Set(test.map((u) => u.text)));
    expect(splitHeldOut(all).test).toEqual(test);
  });

  it("partitions the set, holding out roughly the fraction asked for", () => {
    expect(train.length + test.length).toBe(all.length);
    expect(test.length / all.length).toBeGreaterThan(0.1);
    expect(test.length / all.length).toBeLessThan(0.3);
  });

  const testCounts = countBy(test.filter((u) => !u.compound));
  const trainCounts = countBy(train.filter((u) => !u.compound));
  it.each(CATEGORIES.map((c) => [c]))("%s has both training and held-out examples", (category) => {
    expect(testCounts.get(category) ?? 0).toBeGreaterThan(0);
    expect(trainCounts.get(category) ?? 0).toBeGreaterThan(0);
  });
});

describe("dataHash", () => {
  it("ignores order and changes when a label changes", () => {
    const sample = all.slice(0, 50);
    expect(dataHash([...sample].reverse())).toBe(dataHash(sample));
    const relabelled = sample.map((u, i) => (i === 0 ? { ...u, action: `${u.action}_x` } : u));
    expect(dataHash(relabelled)).not.toBe(dataHash(sample));
    expect(dataHash(sample)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("a bad line", () => {
  const dir = mkdtempSync(join(tmpdir(), "piper-utterances-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const good = JSON.stringify({ text: "hi", category: "CONVERSATION", action: "greeting" });
  function loadWith(name: string, badLine: string): () => Utterance[] {
    const sub = mkdtempSync(join(dir, "case-"));
    writeFileSync(join(sub, "a-good.jsonl"), `${good}\n`);
    writeFileSync(join(sub, name), `${good.replace("hi", "hello")}\n\n${badLine}\n`);
    return () => loadUtterances(sub);
  }

  it("that is not JSON throws naming file:line", () => {
    expect(loadWith("broken.jsonl", "{not json")).toThrow(/broken\.jsonl:3\b/);
  });

  it("with an unknown category throws naming file:line and the field", () => {
    const line = JSON.stringify({ text: "x", category: "NOPE", action: "greeting" });
    expect(loadWith("category.jsonl", line)).toThrow(/category\.jsonl:3: .*category/);
  });

  it("with an action that is not snake_case throws naming file:line", () => {
    const line = JSON.stringify({ text: "x", category: "QUERY", action: "Find Issues" });
    expect(loadWith("action.jsonl", line)).toThrow(/action\.jsonl:3: .*action/);
  });

  it("marked compound with fewer than two parts throws naming file:line", () => {
    const line = JSON.stringify({
      text: "x and y",
      category: "QUERY",
      action: "find_issues",
      compound: true,
      parts: [{ category: "QUERY", action: "find_issues" }],
    });
    expect(loadWith("compound.jsonl", line)).toThrow(/compound\.jsonl:3: .*parts/);
  });
});
