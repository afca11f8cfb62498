// The question when a review or plan doesn't know which repository: the workspace's projects as buttons, or how to name one.
import type { Reply } from "../../routing/router.js";
import type { WorkflowRequest } from "../../routing/workflow-dispatcher.js";
import { normalizeSlackText } from "../../slack/message-text.js";
import { projectChoiceBody } from "../create-issue/draft-blocks.js";
import type { ProjectResolution } from "../project-resolution.js";

/** `what` finishes "Which repository should I …": "review", "plan for". */
export function askForProject(resolution: Exclude<ProjectResolution, { kind: "resolved" }>, request: WorkflowRequest, what: string, example: string): Reply {
  const question = `Which repository should I ${what}?`;
  const how = `Name it (for example “${example}”), or link this channel once with \`@piper this channel is acme/web\`.`;
  if (resolution.kind === "missing") return { kind: "reply", text: `${question} ${resolution.why.charAt(0).toUpperCase()}${resolution.why.slice(1)}. ${how}` };
  const body = projectChoiceBody(`${question} (${resolution.why}) Pick one:`, resolution.candidates, normalizeSlackText(request.inbound.text).text);
  return { kind: "reply", text: body.text, blocks: body.blocks };
}
