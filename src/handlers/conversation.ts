// CONVERSATION's canonical part: greetings, thanks and goodbyes, answered the same way every time (no model, no ping).
import { suggestedPrompts } from "../routing/capabilities.js";
import type { Intent } from "../routing/intent.js";
import { reply, type Reply } from "../routing/router.js";

export function answerSmallTalk(intent: Pick<Intent, "action">): Reply {
  switch (intent.action) {
    case "thanks":
      return reply("Any time. 🙌");
    case "farewell":
      return reply("See you. 👋");
    default: {
      const tries = suggestedPrompts().map((p) => `\`${p.message}\``);
      return reply(`Hi! 👋 I'm Piper. Try ${tries.length > 0 ? tries.join(", ") : "`help`"} — or \`help\` for everything I can do.`);
    }
  }
}
