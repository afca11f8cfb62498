// Builds Piper's Slack surface: Bolt app, receiver, listeners, queue, responder — one code path for every mode.
import { setMaxListeners } from "node:events";
import type { RequestListener } from "node:http";
import { App } from "@slack/bolt";
import { PiperError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { Router } from "../routing/router.js";
import { boltLogger } from "./bolt-logger.js";
import type { ConversationLog } from "./conversation-log.js";
import type { EventClaims } from "./event-dedupe.js";
import type { HomeViewInput } from "./home-view.js";
import type { AcceptedEvents } from "./accepted-events.js";
import { findEarlierAnswer, apologise } from "./earlier-answers.js";
import { Intake } from "./intake.js";
import { respondToUrl } from "./respond-url.js";
import type { FeedbackVotes } from "./feedback.js";
import { registerActions, type ActionHandler, type OpenQuestions } from "./listeners/actions.js";
import type { Inbound } from "./inbound.js";
import { registerViews, type ViewHandler } from "./listeners/views.js";
import { registerAppHome } from "./listeners/app-home.js";
import { eventClaimer } from "./listeners/claim-events.js";
import { EventTable } from "./listeners/event-table.js";
import { registerMentions } from "./listeners/mentions.js";
import { registerMessages, type AmbientObserver } from "./listeners/messages.js";
import { registerSlashCommand } from "./listeners/slash-command.js";
import { ChannelPacer, type PacerOptions } from "./pacer.js";
import { createPostingClient, SlackPoster, slackClientOptions, type CallPolicy } from "./poster.js";
import { buildReceiver, type ReceiverChoice } from "./receivers.js";
import { ThreadResponder } from "./responder.js";
import { ThreadContext } from "./thread-context.js";
import { ThreadMemory } from "./thread-memory.js";
import { ThreadOrderedQueue, type WorkQueueOptions } from "./work-queue.js";

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Slack could not be reached, or refused the bot token, when Piper started. */
export class SlackConnectionError extends PiperError {
  readonly code = "SLACK_CONNECTION_FAILED";
  readonly userMessage: string;
  constructor(apiUrl: string, cause: unknown) {
    const slackError = (cause as { data?: { error?: string } }).data?.error;
    super(
      slackError
        ? `Slack refused the bot token (${slackError}) — check SLACK_BOT_TOKEN`
        : `cannot reach Slack at ${apiUrl} (${(cause as Error).message}) — check SLACK_API_URL and the network`,
      { cause },
    );
    this.userMessage = this.message;
  }
}

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
  /** Where 👍/👎 clicks on Piper's answers are recorded. */
  feedback: FeedbackVotes;
  /** What an offer's "Show open questions" button lists (opt-in offers in watched rooms). */
  offers?: OpenQuestions;
  /** More buttons by action_id (workflows'), given the way to ask Piper a request as if it were a mention. */
  moreActions?: (ask: (inbound: Inbound) => Promise<void>) => Record<string, ActionHandler>;
  /** Modal submissions by callback_id. */
  views?: Record<string, ViewHandler>;
  ambient: AmbientObserver;
  homeInput: (viewer: { team: string; user: string }) => Promise<HomeViewInput>;
  queue: WorkQueueOptions;
  accepted: AcceptedEvents;
  /** A request still working after this is cancelled and the user told so. */
  deadlineMs: number;
  /** A request recovered after a crash that is older than this gets an apology instead of an answer. */
  staleAfterMs: number;
  pacing?: PacerOptions;
  progressAfterMs?: number;
}

export interface SlackSurface {
  app: App;
  botUserId: string;
  teamId?: string;
  poster: SlackPoster;
  queue: ThreadOrderedQueue;
  intake: Intake;
  /** What Piper knows of a thread, and the one way it reads more of one from Slack (workflows summarize through it). */
  threadContext: ThreadContext;
  httpListener?: RequestListener;
  /** In Socket Mode, connects; over HTTP the caller's server delivers requests. */
  start(): Promise<void>;
  /**
   * Stops receiving, waits up to `drainMs` for accepted work to finish, then cancels what is left
   * and hands it to recovery (any instance's worker, or this one after a restart).
   */
  stop(drainMs?: number): Promise<void>;
}

/**
 * Checks the bot token with auth.test first (one clear error if Slack refuses it), then builds the
 * Bolt app with that identity so Bolt does not make its own, unhandled auth.test call.
 */
export async function createSlackSurface(options: SlackSurfaceOptions): Promise<SlackSurface> {
  const { logger } = options;
  const slackLogger = boltLogger(logger);
  // No SDK retries: a write whose answer was lost is looked for, never blindly sent again (decision 0005).
  const clientSettings = { apiUrl: options.apiUrl, timeoutMs: options.timeoutMs, logger: slackLogger };
  const clientOptions = slackClientOptions(clientSettings);

  // On Piper's main thread, through node:http with kept-alive connections (decision 0013 says why not a worker).
  const { client, close: closeClient } = createPostingClient(options.botToken, clientSettings);
  const poster = new SlackPoster({ client, policy: options.policy, pacer: new ChannelPacer(options.pacing ?? { intervalMs: 1_000, burst: 3 }), logger });
  const auth = await poster.call("auth.test", (c) => c.auth.test()).catch(async (err: unknown) => {
    closeClient();
    throw new SlackConnectionError(options.apiUrl, err);
  });
  const botUserId = auth.user_id!;
  const { receiver, httpListener } = buildReceiver(options.receiver, clientOptions, slackLogger);
  // convoStore off: Bolt's default conversation store does work on every event for a feature Piper
  // doesn't use (its own thread memory and the database hold what it needs).
  const app = new App({ token: options.botToken, botId: auth.bot_id, botUserId, receiver, clientOptions, logger: slackLogger, convoStore: false });

  const queue = new ThreadOrderedQueue({
    ...options.queue,
    onJobError: (err, lane) => logger.error({ err, lane }, "queued work threw; its thread goes on"),
  });
  const memory = new ThreadMemory();
  const threadContext = new ThreadContext(memory, poster, botUserId, logger);
  const stopping = new AbortController();
  // Every request in flight listens for shutdown; hundreds at once is normal, not a leak.
  setMaxListeners(0, stopping.signal);
  const responder = new ThreadResponder({ poster, logger, progressAfterMs: options.progressAfterMs, deadlineMs: options.deadlineMs, stopping: stopping.signal });
  const claim = eventClaimer(options.claims, logger);
  const intake = new Intake({
    queue,
    responder,
    router: options.router,
    memory,
    threadContext,
    conversations: options.conversations,
    accepted: options.accepted,
    findEarlierAnswer: (inbound, key) => findEarlierAnswer(poster, inbound, key),
    apologise: (inbound, placeholder) => apologise(poster, inbound, placeholder),
    staleAfterMs: options.staleAfterMs,
    respondToUrl: respondToUrl(),
    logger,
  });

  const events = new EventTable();
  registerMentions(events, intake, logger);
  registerMessages(events, { intake, memory, ambient: options.ambient, firstHere: (team, id) => options.claims.firstHere(team, id), logger });
  registerSlashCommand(app, { intake, logger });
  registerAppHome(events, { poster, homeInput: options.homeInput, claim, logger });
  events.attach(app);
  const ask = (inbound: Inbound) => intake.accept(inbound);
  const actions = registerActions(app, { poster, feedback: options.feedback, ask, offers: options.offers, more: options.moreActions?.(ask), logger });
  const views = registerViews(app, options.views ?? {}, logger);
  app.error(async (err) => {
    logger.error({ err }, "unhandled error in a Slack listener");
  });

  return {
    app,
    poster,
    queue,
    intake,
    threadContext,
    httpListener,
    botUserId,
    teamId: auth.team_id,
    async start() {
      if (options.receiver.mode === "socket") await app.start();
    },
    async stop(drainMs = 10_000) {
      if (options.receiver.mode === "socket") await app.stop().catch((err: unknown) => logger.warn({ err }, "socket mode stop failed"));
      // No new recovered work either: what this process hands over below is for the next Piper.
      await options.accepted.stopRecovery();
      const idle = queue.onIdle().then(() => true);
      const drained = await Promise.race([idle, delay(drainMs).then(() => false)]);
      if (!drained) {
        logger.warn({ pending: queue.pending }, "shutting down with work in progress; handing it to recovery");
        stopping.abort();
        // Cancelled work unwinds quickly (it only has to notice the abort); don't wait on a handler that ignores it.
        await Promise.race([idle, delay(1_000)]);
      }
      await options.accepted.handOver(options.accepted.heldIds());
      // Clicks already acked finish their (short) writes before the database closes.
      await Promise.race([Promise.all([actions.settled(), views.settled()]), delay(2_000)]);
      closeClient();
    },
  };
}
