// Piper's vocabulary for what a message asks: the categories of the routing table, the actions inside them, and the Intent every classifier produces.

/** The routing table's categories (../shared/design/ARCHITECTURE.md). */
export const CATEGORIES = [
  "PORTFOLIO",
  "EXECUTION",
  "TEMPORAL",
  "STATUS",
  "PRIORITY",
  "CONVERSATION",
  "GUIDANCE",
  "IDENTITY",
  "DISCOVERY",
  "TRUST",
  "MEMORY",
  "UNKNOWN",
  "ANALYSIS",
  "SYNTHESIS",
  "STRATEGY",
  "PLANNING",
  "REVIEW",
  "LEARNING",
  "QUERY",
] as const;
export type Category = (typeof CATEGORIES)[number];

export function isCategory(value: string): value is Category {
  return (CATEGORIES as readonly string[]).includes(value);
}

/**
 * The actions Piper knows per category, snake_case verb phrases. Classifiers may produce others (the
 * LLM will); these are the ones handlers and the labelled utterances use, and the LLM is shown them.
 */
export const ACTIONS: Readonly<Record<Category, readonly string[]>> = {
  PORTFOLIO: ["list_projects", "project_details"],
  EXECUTION: ["create_issue", "update_issue", "close_issue", "assign_issue"],
  TEMPORAL: ["whats_due", "whats_shipped", "recent_activity"],
  STATUS: ["standup", "project_status", "blockers", "health"],
  PRIORITY: ["what_first", "top_priorities", "focus", "watch_room", "unwatch_room"],
  CONVERSATION: ["greeting", "thanks", "farewell", "chit_chat", "venting"],
  GUIDANCE: ["setup_github", "setup_notion", "setup_slack", "setup_model", "pm_practice"],
  IDENTITY: ["who_are_you", "how_you_work"],
  DISCOVERY: ["help", "what_can_you_do", "examples"],
  TRUST: ["data_stored", "data_retention", "permissions"],
  MEMORY: ["recall_room", "remember_fact", "forget"],
  UNKNOWN: ["unclear", "decline"],
  ANALYSIS: ["analyze_trend", "analyze_workload"],
  SYNTHESIS: ["summarize_thread", "summarize_project"],
  STRATEGY: ["roadmap_advice", "tradeoff_advice"],
  PLANNING: ["plan_sprint", "plan_milestone"],
  REVIEW: ["review_issues", "review_prs", "stale_items"],
  LEARNING: ["learn_from_incident", "retro_insights"],
  QUERY: ["count_issues", "find_issues", "lookup_issue"],
};

/** A span of time a message names ("yesterday", "last week", "by Friday"), resolved against a clock. */
export interface DateRange {
  /** The words as written. */
  phrase: string;
  /** Inclusive start, ISO 8601. */
  from: string;
  /** Exclusive end, ISO 8601. */
  to: string;
}

export interface Entities {
  /** GitHub repositories named `owner/name`. */
  repos: string[];
  /** Names of projects Piper knows (from the database), as stored. */
  projects: string[];
  /** Slack user ids mentioned (`<@U…>`), never Piper itself. */
  people: string[];
  /** Slack channels linked (`<#C…|name>`). */
  rooms: Array<{ id: string; name?: string }>;
  links: Array<{ url: string; label?: string }>;
  dates: DateRange[];
  /** The title of an issue to create or find, when the message gives one ("create an issue: login fails"). */
  issueTitle?: string;
}

export function noEntities(): Entities {
  return { repos: [], projects: [], people: [], rooms: [], links: [], dates: [] };
}

export type IntentSource = "pre" | "llm" | "local";

export interface Intent {
  category: Category;
  action: string;
  /** 0..1: the pattern's certainty (pre), the model's stated confidence (llm), the class probability (local). */
  confidence: number;
  entities: Entities;
  source: IntentSource;
  /**
   * Set when the message holds more than one request ("create an issue and tell me what's blocking"):
   * the parts as understood, in the order written. The gate never acts on a compound intent.
   */
  parts?: Array<{ text: string; category: Category; action: string; confidence: number }>;
  /** For an UNKNOWN from low confidence: the best guess, so the floor can ask one clarifying question about it. */
  guess?: { category: Category; action: string; confidence: number };
}

export type Terminal = "canonical" | "floor" | "workflow";
