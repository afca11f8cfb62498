// Actions as people say them: `investigate_crash` → "investigate the crash", for replies that say what Piper understood.

/** Nouns that read better with "the" after the verb ("create the issue" reads wrong; "summarize the thread" right). */
const WITH_ARTICLE = new Set(["thread", "crash", "incident", "sprint", "milestone", "roadmap", "release", "backlog", "project", "room", "bug"]);

/** Phrases a rule would get wrong, written out. */
const PHRASES: Readonly<Record<string, string>> = {
  create_issue: "create an issue",
  update_issue: "update an issue",
  close_issue: "close an issue",
  assign_issue: "assign an issue",
  list_projects: "list your projects",
  project_details: "describe a project",
  whats_due: "show what's due",
  whats_shipped: "show what shipped",
  recent_activity: "show recent activity",
  standup: "write the standup",
  project_status: "give the status of a project",
  blockers: "list what's blocked",
  health: "show how my connections are doing",
  what_first: "suggest what to work on first",
  top_priorities: "list the top priorities",
  focus: "show where attention is needed",
  who_are_you: "say who I am",
  how_you_work: "explain how I work",
  what_can_you_do: "say what I can do",
  data_stored: "explain what I store",
  data_retention: "explain how long I keep data",
  recall_room: "say what I remember about this channel",
  remember_fact: "remember that",
  count_issues: "count issues",
  find_issues: "find issues",
  lookup_issue: "look up an issue",
  review_issues: "review open issues",
  review_prs: "review pull requests",
  stale_items: "find what's gone stale",
  plan_sprint: "plan the next sprint",
  plan_milestone: "plan a milestone",
  summarize_thread: "summarize this thread",
  summarize_project: "summarize a project",
  learn_from_incident: "learn from the incident",
  retro_insights: "pull lessons from retros",
  analyze_trend: "analyze the trend",
  analyze_workload: "look at who's overloaded",
  roadmap_advice: "weigh in on the roadmap",
  tradeoff_advice: "weigh the trade-offs",
  pm_practice: "share how teams usually do that",
};

export function humanizeAction(action: string): string {
  const known = PHRASES[action];
  if (known) return known;
  const words = action.split("_").filter(Boolean);
  if (words.length === 0) return "do that";
  // verb + object: "investigate_crash" → "investigate the crash"
  const [verb, ...rest] = words;
  if (rest.length === 0) return verb!;
  const object = rest.join(" ");
  return WITH_ARTICLE.has(rest.at(-1)!) ? `${verb} the ${object}` : `${verb} ${object}`;
}
