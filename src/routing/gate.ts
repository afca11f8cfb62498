// The action gate: which terminal an Intent reaches. The routing table in ../shared/design/ARCHITECTURE.md, as code.
import type { Category, Intent, Terminal } from "./intent.js";

const CANONICAL: ReadonlySet<Category> = new Set(["PORTFOLIO", "EXECUTION", "TEMPORAL", "STATUS", "PRIORITY"]);
const FLOOR: ReadonlySet<Category> = new Set(["GUIDANCE", "IDENTITY", "DISCOVERY", "TRUST", "MEMORY", "CONVERSATION", "UNKNOWN"]);

/** Conversation that needs no model: answered the same way every time. */
const CANONICAL_CONVERSATION = new Set(["greeting", "thanks", "farewell"]);

/**
 * Exceptions that refine the table:
 * - greetings/thanks and setup guidance are canonical (the table's "+ greeting" and "+ setup topic");
 * - DISCOVERY's `help` is canonical too: the capability list is the answer, and a model would only
 *   paraphrase it slower (docs/decisions/0007-routing-graph.md);
 * - a compound intent never reaches a handler: the floor asks which request comes first, or the
 *   model split it already.
 */
export function terminalFor(intent: Pick<Intent, "category" | "action" | "parts">): Terminal {
  const { category, action } = intent;
  if (intent.parts && intent.parts.length > 1) return "floor";
  if (CANONICAL.has(category)) return "canonical";
  if (category === "CONVERSATION" && CANONICAL_CONVERSATION.has(action)) return "canonical";
  if (category === "GUIDANCE" && action.startsWith("setup_")) return "canonical";
  if (category === "DISCOVERY" && action === "help") return "canonical";
  if (FLOOR.has(category)) return "floor";
  return "workflow";
}
