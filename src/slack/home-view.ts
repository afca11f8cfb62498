// The App Home tab: what Piper is, what is connected, and how to use it.
import type { ServiceHealth } from "../health.js";
import { helpText } from "../routing/help.js";
import { connectionLines } from "./health-view.js";

export interface HomeViewInput {
  /** Each connection's health, as health.ts reports it. */
  integrations: ServiceHealth[];
  /** Extra sections later layers contribute (attention map, …), already rendered as mrkdwn. */
  extraSections?: Array<{ title: string; mrkdwn: string }>;
}

export function buildHomeView(input: HomeViewInput): Record<string, unknown> {
  const integrationLines = connectionLines(input.integrations);
  const blocks: unknown[] = [
    { type: "header", text: { type: "plain_text", text: "Piper" } },
    {
      type: "section",
      // Only what works today: the list below renders from the capability registry and grows with it.
      text: { type: "mrkdwn", text: "A project-management assistant that lives in Slack." },
    },
    { type: "divider" },
    { type: "section", text: { type: "mrkdwn", text: `*Connections*\n${integrationLines.join("\n") || "_none configured_"}` } },
  ];
  for (const extra of input.extraSections ?? []) {
    blocks.push({ type: "divider" }, { type: "section", text: { type: "mrkdwn", text: `*${extra.title}*\n${extra.mrkdwn}` } });
  }
  blocks.push({ type: "divider" }, { type: "section", text: { type: "mrkdwn", text: helpText("*How to use me*") } });
  return { type: "home", blocks };
}
