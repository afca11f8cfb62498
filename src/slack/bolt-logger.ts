// Bolt and the Slack SDKs log through this adapter, so their lines are structured and redacted like ours.
import { LogLevel, type Logger as SlackLogger } from "@slack/bolt";
import type { Logger } from "../logger.js";

export function boltLogger(logger: Logger): SlackLogger {
  const log = logger.child({ component: "bolt" });
  let level: LogLevel = LogLevel.INFO;
  return {
    debug: (...msg: unknown[]) => log.debug(msg.map(String).join(" ")),
    info: (...msg: unknown[]) => log.info(msg.map(String).join(" ")),
    warn: (...msg: unknown[]) => log.warn(msg.map(String).join(" ")),
    error: (...msg: unknown[]) => log.error(msg.map(String).join(" ")),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
