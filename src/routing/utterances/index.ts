// The labelled utterances the routing classifiers are trained and measured on: one *.jsonl file per category
// (plus compound and hostile sets), loaded and validated here, split deterministically into train and held-out test.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { CATEGORIES, type Category } from "../intent.js";

export interface Utterance {
  text: string;
  category: Category;
  action: string;
  /** Set on lines holding more than one request; `parts` lists them in order written. */
  compound?: boolean;
  parts?: Array<{ category: Category; action: string }>;
  /** Set on attempts to misuse Piper; labelled `UNKNOWN` / `decline`. */
  hostile?: boolean;
}

/** The folder beside this module; works from src (tsx) and from dist (the build copies the *.jsonl files). */
export const DEFAULT_UTTERANCE_DIR = fileURLToPath(new URL(".", import.meta.url));

const action = z.string().regex(/^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/, "action must be a non-empty snake_case string");
const category = z.enum(CATEGORIES);

const utteranceSchema = z
  .object({
    text: z.string().trim().min(1, "text must not be empty"),
    category,
    action,
    compound: z.boolean().optional(),
    parts: z.array(z.object({ category, action })).optional(),
    hostile: z.boolean().optional(),
  })
  .strict()
  .superRefine((u, ctx) => {
    if (u.compound && (u.parts?.length ?? 0) < 2) {
      ctx.addIssue({ code: "custom", message: "a compound line needs at least 2 parts", path: ["parts"] });
    }
    if (!u.compound && u.parts !== undefined) {
      ctx.addIssue({ code: "custom", message: "parts are only for compound lines", path: ["parts"] });
    }
    if (u.hostile && (u.category !== "UNKNOWN" || u.action !== "decline")) {
      ctx.addIssue({ code: "custom", message: "a hostile line is labelled UNKNOWN / decline", path: ["category"] });
    }
  });

/** Every *.jsonl in `dir`, files sorted by name, lines in order; throws naming `file:line` on the first bad line. */
export function loadUtterances(dir: string = DEFAULT_UTTERANCE_DIR): Utterance[] {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith(".jsonl"))
    .sort();
  const out: Utterance[] = [];
  for (const file of files) {
    const lines = readFileSync(join(dir, file), "utf8").split(/\r?\n/);
    lines.forEach((line, index) => {
      if (line.trim() === "") return;
      const where = `${file}:${index + 1}`;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch (err) {
        throw new Error(`${where}: not valid JSON (${(err as Error).message})`);
      }
      const parsed = utteranceSchema.safeParse(json);
      if (!parsed.success) {
        const why = parsed.error.issues.map((i) => `${i.path.join(".") || "line"}: ${i.message}`).join("; ");
        throw new Error(`${where}: ${why}`);
      }
      out.push(parsed.data);
    });
  }
  return out;
}

/** The form two utterances are compared in: lower case, whitespace collapsed. */
export function normalizeText(text: string): string {
  return text.toLowerCase().replace(/\s+/g, " ").trim();
}

/** 0 ≤ x < 1 from the sha1 of the normalized text: stable across runs, machines and file order. */
function holdOutPoint(text: string): number {
  return createHash("sha1").update(normalizeText(text)).digest().readUInt32BE(0) / 0x1_0000_0000;
}

/** Deterministic split: an utterance is held out when its text hashes below `fraction`. */
export function splitHeldOut(
  utterances: readonly Utterance[],
  fraction = 0.2,
): { train: Utterance[]; test: Utterance[] } {
  const train: Utterance[] = [];
  const test: Utterance[] = [];
  for (const u of utterances) (holdOutPoint(u.text) < fraction ? test : train).push(u);
  return { train, test };
}

/** sha256 over the utterances in a canonical order and key order, for keying a cached trained model. */
export function dataHash(utterances: readonly Utterance[]): string {
  const canonical = utterances
    .map((u) =>
      JSON.stringify([
        u.text,
        u.category,
        u.action,
        u.compound ?? false,
        (u.parts ?? []).map((p) => [p.category, p.action]),
        u.hostile ?? false,
      ]),
    )
    .sort();
  return createHash("sha256").update(canonical.join("\n")).digest("hex");
}
