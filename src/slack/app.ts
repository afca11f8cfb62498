// Builds Piper's Slack surface: Bolt app, receiver, listeners, queue, responder — one code path for every mode.
import type { RequestListener } from "node:http";
import { App } from "@slack/bolt";
import type { Logger } from "../logger.js";
import type { Router } from "../routing/router.js";
import { boltLogger } from "./bolt-logger.js";
import type { ConversationLog } from "./conversation-log.js";
import type { EventClaims } from "./event-dedupe.js";
import type { HomeViewInput } from "./home-view.js";
import { Intake } from "./intake.js";
import { registerAppHome } from "./listeners/app-home.js";
import { claimEvents } from "./listeners/claim-events.js";
import { registerMentions } from "./listeners/mentions.js";
import { registerMessages, type AmbientObserver } from "./listeners/messages.js";
import { registerSlashCommand } from "./listeners/slash-command.js";
import { ChannelPacer, type PacerOptions } from "./pacer.js";
import { SlackPoster, type CallPolicy } from "./poster.js";
import { buildReceiver, type ReceiverChoice } from "./receivers.js";
import { ThreadResponder } from "./responder.js";
import { ThreadContext } from "./thread-context.js";
import { ThreadMemory } from "./thread-memory.js";
import { ThreadOrderedQueue, type WorkQueueOptions } from "./work-queue.js";

export interface SlackSurfaceOptions {
  receiver: ReceiverChoice;
  botToken: string;
  apiUrl: string;
  timeoutMs: number;
  logger: Logger;
  policy: CallPolicy;
  router: Router;
  claims: EventClaims;
  conversations: ConversationLog;
  ambient: AmbientObserver;
  homeInput: () => Promise<HomeViewInput>;
  queue: WorkQueueOptions;
  pacing?: PacerOptions;
  progressAfterMs?: number;
}

export interface SlackSurface {
  app: App;
  poster: SlackPoster;
  queue: ThreadOrderedQueue;
  httpListener?: RequestListener;
  /** Resolves Piper's bot identity and, in Socket Mode, connects. */
  start(): Promise<{ botUserId?: string; teamId?: string }>;
  /** Stops receiving, then waits for accepted work to finish (bounded by `drainMs`). */
  stop(drainMs?: number): Promise<void>;
}

export function createSlackSurface(options: SlackSurfaceOptions): SlackSurface {
  const { logger } = options;
  const slackLogger = boltLogger(logger);
  const clientOptions = {
    slackApiUrl: options.apiUrl,
    // A 429 on one method must not pause every other call: the poster decides per call.
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 2_000 },
    timeout: options.timeoutMs,
    logger: slackLogger,
  };
  const { receiver, httpListener } = buildReceiver(options.receiver, clientOptions, slackLogger);
  const app = new App({ token: options.botToken, receiver, clientOptions, logger: slackLogger });

  let botUserId: string | undefined;
  const poster = new SlackPoster({ client: app.client, policy: options.policy, pacer: new ChannelPacer(options.pacing ?? { intervalMs: 1_000, burst: 3 }), logger });
  const queue = new ThreadOrderedQueue(options.queue);
  const memory = new ThreadMemory();
  const responder = new ThreadResponder({ poster, logger, progressAfterMs: options.progressAfterMs });
  const intake = new Intake({
    queue,
    responder,
    router: options.router,
    memory,
    threadContext: new ThreadContext(memory, poster, () => botUserId, logger),
    poster,
    conversations: options.conversations,
    logger,
  });

  app.use(claimEvents(options.claims, logger));
  registerMentions(app, intake, logger);
  registerMessages(app, { intake, memory, ambient: options.ambient, logger });
  registerSlashCommand(app, { router: options.router, queue, responder, logger });
  registerAppHome(app, { poster, homeInput: options.homeInput, logger });
  app.error(async (err) => {
    logger.error({ err }, "unhandled error in a Slack listener");
  });

  return {
    app,
    poster,
    queue,
    httpListener,
    async start() {
      const auth = await poster.call("auth.test", (c) => c.auth.test());
      botUserId = auth.user_id;
      if (options.receiver.mode === "socket") await app.start();
      return { botUserId: auth.user_id, teamId: auth.team_id };
    },
    async stop(drainMs = 10_000) {
      if (options.receiver.mode === "socket") await app.stop().catch((err: unknown) => logger.warn({ err }, "socket mode stop failed"));
      await Promise.race([queue.onIdle(), new Promise((resolve) => setTimeout(resolve, drainMs).unref())]);
    },
  };
}
