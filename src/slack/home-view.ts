// The App Home tab: what Piper is, what is connected, and how to use it.
import { helpText } from "../routing/help.js";

export interface IntegrationStatus {
  name: string;
  configured: boolean;
  state: string;
  detail?: string;
}

export interface HomeViewInput {
  integrations: IntegrationStatus[];
  /** Extra sections later layers contribute (attention map, …), already rendered as mrkdwn. */
  extraSections?: Array<{ title: string; mrkdwn: string }>;
}

const STATE_ICON: Record<string, string> = { closed: ":large_green_circle:", "half-open": ":large_yellow_circle:", open: ":red_circle:", isolated: ":red_circle:" };

export function buildHomeView(input: HomeViewInput): Record<string, unknown> {
  const integrationLines = input.integrations.map((i) =>
    i.configured
      ? `${STATE_ICON[i.state] ?? ":white_circle:"} *${i.name}* — ${describeState(i.state)}${i.detail ? ` (${i.detail})` : ""}`
      : `:white_circle: *${i.name}* — not connected`,
  );
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

export function describeState(state: string): string {
  switch (state) {
    case "closed":
      return "working";
    case "half-open":
      return "recovering, testing the connection";
    case "open":
    case "isolated":
      return "unavailable, pausing calls";
    default:
      return state;
  }
}
