// The deterministic canonical handlers (no LLM), bound to their dependencies: what the router calls for STATUS, PRIORITY and TEMPORAL.
import type { Intent } from "../routing/intent.js";
import type { Reply } from "../routing/router.js";
import { priorities } from "./priority.js";
import type { HandlerDeps } from "./project-scope.js";
import { blockers, projectStatus } from "./status.js";
import { due, recentActivity, shipped } from "./temporal.js";

export type { HandlerDeps } from "./project-scope.js";

/** Each answers one intent; `now` defaults to the wall clock (tests pass a fixed one). */
export type CanonicalHandler = (intent: Intent, now?: Date) => Promise<Reply>;

export interface CanonicalHandlers {
  /** STATUS project_status. */
  projectStatus: CanonicalHandler;
  /** STATUS blockers. */
  blockers: CanonicalHandler;
  /** PRIORITY what_first and top_priorities (the action picks the shape). */
  priorities: CanonicalHandler;
  /** TEMPORAL whats_shipped. */
  shipped: CanonicalHandler;
  /** TEMPORAL whats_due. */
  due: CanonicalHandler;
  /** TEMPORAL recent_activity. */
  recentActivity: CanonicalHandler;
}

export function createCanonicalHandlers(deps: HandlerDeps): CanonicalHandlers {
  const bind =
    (handler: (intent: Intent, deps: HandlerDeps, now: Date) => Promise<Reply>): CanonicalHandler =>
    (intent, now) =>
      handler(intent, deps, now ?? new Date());
  return {
    projectStatus: bind(projectStatus),
    blockers: bind(blockers),
    priorities: bind(priorities),
    shipped: bind(shipped),
    due: bind(due),
    recentActivity: bind(recentActivity),
  };
}
