// People's display names from users.info, remembered per process: a summary names people, it doesn't @ them.
import type { SlackPoster } from "../../slack/poster.js";

const MAX_REMEMBERED = 5_000;

export function slackUserNames(poster: Pick<SlackPoster, "call">): (userId: string) => Promise<string | undefined> {
  const known = new Map<string, string>();
  return async (userId) => {
    const hit = known.get(userId);
    if (hit !== undefined) return hit;
    const found = await poster.call("users.info", (c) => c.users.info({ user: userId }));
    const user = found.user;
    const name = user?.profile?.display_name || user?.real_name || user?.name || undefined;
    if (name) {
      if (known.size >= MAX_REMEMBERED) known.delete(known.keys().next().value!);
      known.set(userId, name);
    }
    return name;
  };
}
