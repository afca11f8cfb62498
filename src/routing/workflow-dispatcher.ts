// Where workflow categories (and EXECUTION's actions) go. The workflows issue fills it; until then it says honestly what it would do.
import type { Inbound } from "../slack/inbound.js";
import { todayICan } from "./capabilities.js";
import { humanizeAction } from "./humanize.js";
import type { Intent } from "./intent.js";
import { reply, type Progress, type RouterResult } from "./router.js";

export interface WorkflowRequest {
  intent: Intent;
  inbound: Inbound;
  progress: Progress;
  signal: AbortSignal;
}

export interface WorkflowDispatcher {
  dispatch(request: WorkflowRequest): Promise<RouterResult>;
}

/** Says what Piper understood and that it can't do it yet — never pretends, never acts. */
export class NotYetWorkflowDispatcher implements WorkflowDispatcher {
  async dispatch({ intent }: WorkflowRequest): Promise<RouterResult> {
    return reply(`I'd ${humanizeAction(intent.action)} — that isn't available yet. Meanwhile ${todayICan()}.`);
  }
}
