// Loads a real-shaped Slack payload from test/fixtures and fills its {{PLACEHOLDERS}}.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export function fixture(name: string, values: Record<string, string>): Record<string, unknown> {
  const raw = readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)), "utf8");
  const filled = raw.replace(/\{\{([A-Z_]+)\}\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`fixture ${name} needs a value for ${key}`);
    return value;
  });
  return JSON.parse(filled) as Record<string, unknown>;
}
