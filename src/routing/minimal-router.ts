// Stand-in router until the routing graph exists: answers help, health and projects, and says plainly what it heard.
import { quoteUserText } from "../slack/format.js";
import type { Inbound } from "../slack/inbound.js";
import { joinAnd } from "./capabilities.js";
import { availableSubcommands, helpText, isSubcommand, notYetText } from "./help.js";
import { reply, type Router, type RouterResult } from "./router.js";

export interface MinimalRouterOptions {
  /** Renders integration health for `/piper health` and "health". */
  health: () => Promise<string> | string;
  /** Lists projects and repositories for `/piper projects`. */
  projects: () => Promise<string>;
}

const GREETING = /^(hi|hello|hey|yo|howdy|good (morning|afternoon|evening))\b/i;

export class MinimalRouter implements Router {
  constructor(private readonly options: MinimalRouterOptions) {}

  activity(inbound: Inbound): string {
    return inbound.text ? `answering “${quoteUserText(inbound.text, 60)}”` : "answering you";
  }

  async route(inbound: Inbound): Promise<RouterResult> {
    const text = inbound.text.trim();
    const first = text.split(/\s+/)[0]?.toLowerCase() ?? "";
    if (text === "" || first === "help" || text === "?") return reply(helpText());
    const single = text.split(/\s+/).length === 1;
    if (first === "health" && single) return reply(await this.options.health());
    if (first === "projects" && single) return reply(await this.options.projects());
    // Announced but not built: say so and what works instead, rather than pretend or shrug.
    const notYet = notYetText(first);
    if (notYet) return reply(notYet);
    if (GREETING.test(text)) return reply(`Hi <@${inbound.user}>! ${helpText("Here's what I can do:")}`);
    const what = isSubcommand(first) ? `\`${first}\`` : `“${quoteUserText(text, 200)}”`;
    return reply(
      `I heard ${what}, but I can't act on that yet — my routing and workflows are still being connected. ` +
        `For now I can show ${joinAnd(availableSubcommands())}.`,
    );
  }
}
