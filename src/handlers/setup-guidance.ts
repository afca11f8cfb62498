// GUIDANCE about Piper's own integrations, answered from the live configuration: what is connected now, and the exact steps for what isn't.
import type { ServiceHealth } from "../health.js";
import { SERVICE_DISPLAY_NAME, type ServiceName } from "../integrations/service-names.js";
import type { Intent } from "../routing/intent.js";
import { reply, type Reply } from "../routing/router.js";

export interface SetupGuidanceInput {
  /** The connections as health sees them right now (configured or not, and how they are doing). */
  services: ServiceHealth[];
  /** How Piper reaches Slack today. */
  slackMode: "socket" | "http" | "local";
}

type Topic = "github" | "notion" | "slack" | "model";

const TOPIC_OF_ACTION: Readonly<Record<string, Topic>> = {
  setup_github: "github",
  setup_notion: "notion",
  setup_slack: "slack",
  setup_model: "model",
};

const SERVICE_OF_TOPIC: Readonly<Record<Topic, ServiceName>> = { github: "github", notion: "notion", slack: "slack", model: "llm" };
const SERVICE_NAME = (topic: Topic) => SERVICE_DISPLAY_NAME[SERVICE_OF_TOPIC[topic]];

const STEPS: Readonly<Record<Topic, string[]>> = {
  github: [
    "Create a fine-grained personal access token (GitHub → Settings → Developer settings) for the repositories Piper should see, with *Issues: read and write*, *Pull requests: read* and *Contents: read*.",
    "Set `GITHUB_TOKEN` in Piper's environment (its `.env` file, or your deployment's secrets) and restart Piper.",
    "`/piper health` then shows GitHub as working, and `/piper projects` lists the repositories.",
  ],
  notion: [
    "Create an internal integration at notion.so/my-integrations and copy its secret.",
    "Set `NOTION_TOKEN` in Piper's environment and restart Piper.",
    "In Notion, share each database or page Piper should see with the integration (••• → Connections). Piper only sees what is shared.",
  ],
  slack: [
    "Create the app from `manifests/slack-app.yaml` (HTTP) or `manifests/slack-app.socket.yaml` (Socket Mode) at api.slack.com/apps → *Create New App* → *From a manifest*.",
    "Install it to the workspace and set `SLACK_BOT_TOKEN` and `SLACK_SIGNING_SECRET` (plus `SLACK_APP_TOKEN` for Socket Mode), then restart Piper.",
    "Invite Piper to a channel with `/invite @Piper`, then mention it there.",
  ],
  model: [
    "Set `ANTHROPIC_API_KEY` in Piper's environment and restart Piper (`ANTHROPIC_MODEL` and `ANTHROPIC_CLASSIFIER_MODEL` choose the models).",
    "Without a key I still route requests with my own classifier and answer from your data; a model adds conversation and better drafts.",
  ],
};

export function answerSetupGuidance(intent: Pick<Intent, "action">, input: SetupGuidanceInput): Reply {
  const topic = TOPIC_OF_ACTION[intent.action];
  if (!topic) return reply(overview(input));
  if (topic === "slack") return reply(slackAnswer(input));
  const service = input.services.find((s) => s.name === SERVICE_NAME(topic));
  if (service?.configured) {
    const state = service.condition === "working" ? "connected and working" : `connected, but ${service.description}`;
    const fix = service.condition === "working" ? "" : `\n\nIf it stays that way, check the token: ${STEPS[topic][0]}`;
    return reply(`${SERVICE_NAME(topic)} is ${state}.${fix}`);
  }
  return reply([`${SERVICE_NAME(topic)} isn't connected yet. To connect it:`, ...STEPS[topic].map((s, i) => `${i + 1}. ${s}`)].join("\n"));
}

function slackAnswer(input: SetupGuidanceInput): string {
  if (input.slackMode === "local") {
    return ["I'm running against the local Slack emulator (no Slack tokens are set). To connect a real workspace:", ...STEPS.slack.map((s, i) => `${i + 1}. ${s}`)].join("\n");
  }
  return `Slack is connected (${input.slackMode === "socket" ? "Socket Mode" : "HTTP events"}). To add me to another channel, use \`/invite @Piper\` there.`;
}

function overview(input: SetupGuidanceInput): string {
  const lines = input.services.map((s) => `• *${s.name}* — ${s.configured ? s.description : "not connected"}`);
  return ["Here's what's connected:", ...lines, "", "Ask me “how do I connect GitHub?” (or Notion, or the model) for the steps."].join("\n");
}
