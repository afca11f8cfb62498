// Composition root: config → database → integrations → Slack surface → HTTP server. Returns a handle to stop it all.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { Config } from "./config.js";
import type { Logger } from "./logger.js";
import { isAddressInUse, PortInUseError } from "./errors.js";
import { cachedRead } from "./db/cached-read.js";
import { needsTableUpkeep, startTableUpkeep } from "./db/table-upkeep.js";
import { openDatabase, type Database } from "./db/index.js";
import { createIntegrations, type Integrations } from "./integrations/index.js";
import { startHttpServer, type RunningHttpServer } from "./http/server.js";
import { startLocalSlack, type LocalSlack } from "./local/index.js";
import { startDemoServices } from "./local/demo-services.js";
import { listProjects } from "./handlers/projects.js";
import { createCanonicalHandlers } from "./handlers/index.js";
import { RoomMemoryHandler } from "./handlers/room-memory.js";
import { RoomMemoryStore } from "./spatial/memory.js";
import { ContextAssembler } from "./floor/context-assembler.js";
import { ConversationalFloor } from "./floor/floor.js";
import { GraphRouter } from "./routing/graph-router.js";
import { classifierCacheDir, createIntentResolver, modelFailureSentence } from "./routing/create-routing.js";
import { NotYetWorkflowDispatcher, type WorkflowDispatcher } from "./routing/workflow-dispatcher.js";
import type { LocalIntentModel } from "./routing/local-intent-model.js";
import { WorkflowDispatcherImpl } from "./workflows/dispatcher.js";
import { WorkflowEngine } from "./workflows/engine.js";
import { PrismaRunStore } from "./workflows/run-store.js";
import { WorkflowMetrics } from "./workflows/metrics.js";
import { WorkflowRegistry } from "./workflows/registry.js";
import { ProjectDirectory } from "./workflows/projects.js";
import { CreateIssueWorkflow } from "./workflows/create-issue/create-issue.js";
import { GitHubLogins } from "./workflows/standup/github-logins.js";
import { PeopleDirectory } from "./workflows/standup/people.js";
import { StandupWorkflow } from "./workflows/standup/standup.js";
import { DraftStore } from "./workflows/create-issue/draft-store.js";
import { issueActionHandlers, issueViewHandlers } from "./workflows/create-issue/slack-handlers.js";
import { NotionPageOffers, parseNotionParent } from "./workflows/notion-page/page-offers.js";
import { PageDraftStore } from "./workflows/notion-page/page-drafts.js";
import { pageActionHandlers } from "./workflows/notion-page/slack-handlers.js";
import { StandupScheduleCommands } from "./workflows/schedules/commands.js";
import { StandupScheduler, type StandupRunner } from "./workflows/schedules/scheduler.js";
import { ScheduleStore } from "./workflows/schedules/store.js";
import { startStandupTicks } from "./workflows/schedules/tick-job.js";
import { SummarizeThreadWorkflow } from "./workflows/summarize/summarize.js";
import { slackUserNames } from "./workflows/summarize/user-names.js";
import { ReviewWorkflow } from "./workflows/review/review.js";
import { PlanWorkflow } from "./workflows/plan/plan.js";
import { hostname } from "node:os";
import { attentionModel } from "./spatial/attention-model.js";
import { attentionConfigSchema } from "./spatial/attention.js";
import type { FocusCommands, WatchCommands } from "./spatial/commands.js";
import { Focus } from "./spatial/focus.js";
import { SlackMembership } from "./spatial/membership.js";
import type { Router } from "./routing/router.js";
import { createSlackSurface, type SlackSurface } from "./slack/app.js";
import { DatabaseConversationLog } from "./slack/conversation-log.js";
import { DatabaseEventClaims } from "./slack/event-dedupe.js";
import { DatabaseFeedbackVotes } from "./slack/feedback.js";
import { AcceptedEvents } from "./slack/accepted-events.js";
import { startJobEngine, type JobEngine } from "./jobs/job-engine.js";
import type { AmbientObserver } from "./slack/listeners/messages.js";
import type { PacerOptions } from "./slack/pacer.js";
import { healthReport, healthSummary, serviceHealth } from "./health.js";
import { renderHealth } from "./slack/health-view.js";
import { SlackNames } from "./spatial/names.js";
import { PeopleNames } from "./slack/people-names.js";
import { RoomStore } from "./spatial/room-store.js";
import { SpatialObserver } from "./spatial/spatial-observer.js";
import { OfferService, RoomWatch } from "./spatial/offers.js";

export interface PiperOverrides {
  /** An already-open, migrated database to use instead of opening one from config (the caller closes it). */
  database?: Database;
  /** Replace the router (tests use this to make a handler throw or be slow). */
  router?: (deps: { integrations: Integrations }) => Router;
  /** A trained local classifier to share between Pipers in one test process (training takes about a second). */
  localClassifier?: LocalIntentModel;
  workflows?: WorkflowDispatcher;
  ambient?: AmbientObserver;
  pacing?: PacerOptions;
  progressAfterMs?: number;
  /**
   * The standup that scheduled standups post (default: the standup workflow; tests pass a stub).
   */
  runStandup?: StandupRunner;
  /** The clock the standup reads "yesterday" against (tests pin a Monday). */
  now?: () => Date;
  /** Local mode only: options passed to the emulator (tests shorten its retry delays). */
  localSlack?: { retryDelaysMs?: number[]; ackTimeoutMs?: number; persistPath?: string };
}

export interface RunningPiper {
  config: Config;
  db: Database;
  /** Every room Piper has seen, with its attention state (the navigator reads allRooms()). */
  rooms: RoomStore;
  /** `/piper watch` and `/piper unwatch` (the routing graph calls it). */
  watch: WatchCommands;
  /** Offers of help in watched rooms (tests wait on `settled()`). */
  offers: OfferService;
  jobs: JobEngine;
  /** Scheduled standups: `tick(now)` runs what is due (the `standup-tick` cron job calls it every minute). */
  standupScheduler: StandupScheduler;
  accepted: AcceptedEvents;
  integrations: Integrations;
  slack: SlackSurface;
  /** The standup workflow: `runStandup({ teamId, channelId, text?, now? })` is what schedules call. */
  standups: StandupWorkflow;
  http: RunningHttpServer;
  /** Present in local mode: the emulator Piper is talking to. */
  localSlack?: LocalSlack;
  botUserId?: string;
  stop(): Promise<void>;
}

export async function startPiper(config: Config, logger: Logger, overrides: PiperOverrides = {}): Promise<RunningPiper> {
  const cleanups: Array<() => Promise<void>> = [];
  const cleanup = async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn().catch((err: unknown) => logger.warn({ err }, "shutdown step failed"));
  };
  try {
    const db = overrides.database ?? (await openDatabase(config.database, logger));
    if (!overrides.database) cleanups.push(() => db.close());
    const jobs = await startJobEngine({ sql: db.sql, logger, maintenanceIntervalSeconds: config.work.maintenanceIntervalSeconds });
    cleanups.push(() => jobs.stop({ graceful: true, wait: true, timeout: 2_000 }));
    const accepted = await AcceptedEvents.create({
      boss: jobs,
      sql: db.sql,
      logger,
      leaseMs: config.work.leaseMs,
      // A worker's attempt gets the request deadline plus time to deliver, then pg-boss may retry it.
      expireInSeconds: Math.ceil(config.work.deadlineMs / 1000) + 60,
      recoveryConcurrency: Math.max(1, Math.floor(config.queue.concurrency / 2)),
    });
    cleanups.push(() => accepted.close());

    // Local mode: services without a token are answered by seeded demo fakes, so `npm start` shows real-looking data.
    const demo =
      config.slack.mode === "local"
        ? await startDemoServices({ github: !config.github.token, notion: !config.notion.token }, logger.child({ component: "demo" }))
        : undefined;
    if (demo) cleanups.push(() => demo.close());
    const integrations = await createIntegrations({
      config,
      logger,
      overrides: {
        githubApiUrl: demo?.github?.url,
        githubToken: demo?.github?.token,
        notionApiUrl: demo?.notion?.url,
        notionToken: demo?.notion?.token,
      },
    });
    cleanups.push(() => integrations.close());

    let slackCredentials = { botToken: config.slack.botToken ?? "", signingSecret: config.slack.signingSecret ?? "", apiUrl: config.slack.apiUrl };
    let localSlack: LocalSlack | undefined;
    if (config.slack.mode === "local") {
      const signingSecret = randomBytes(16).toString("hex");
      const botToken = `xoxb-local-${randomBytes(8).toString("hex")}`;
      // Beside the data it belongs with, so a restart shows the conversations Piper remembers. Only when Piper
      // opened its own PGlite folder: a test that hands in a database keeps the emulator in memory unless it opts in.
      const dataDir = !overrides.database && config.database.kind === "pglite" && config.database.dataDir !== ":memory:" ? config.database.dataDir : undefined;
      localSlack = await startLocalSlack({
        port: config.slack.localPort,
        signingSecret,
        botToken,
        logger: logger.child({ component: "local-slack" }),
        persistPath: dataDir && join(dataDir, "local-slack.json"),
        ...overrides.localSlack,
      }).catch((err: unknown) => {
        throw isAddressInUse(err) ? new PortInUseError(config.slack.localPort, "PIPER_LOCAL_SLACK_PORT") : err;
      });
      cleanups.push(() => localSlack!.close());
      slackCredentials = { botToken, signingSecret, apiUrl: localSlack.apiUrl };
    }

    const claims = new DatabaseEventClaims(db.prisma, logger);
    const conversations = new DatabaseConversationLog(db.sql, logger);
    // Runs after the Slack surface stopped (cleanups run in reverse): the last answers' turns are kept.
    cleanups.push(() => conversations.flush());
    // The spatial map: every message people write is placed in its territory and room. Names are
    // looked up through the Slack surface's poster once it exists (no event arrives before that).
    let surface: SlackSurface | undefined;
    const attentionConfig = attentionConfigSchema.parse({ halfLifeMs: config.attention.halfLifeMs, questionAgeMs: config.attention.questionAgeMs, weights: config.attention.weights });
    const attention = attentionModel(attentionConfig);
    const rooms = new RoomStore({ sql: db.sql, score: attention.score, logger: logger.child({ component: "rooms" }) });
    const names = new SlackNames({ slack: { call: (method, fn) => surface!.poster.call(method, fn) }, logger: logger.child({ component: "names" }) });
    // Opt-in offers: the watched rooms are read once here; each observed message in one is assessed after its update.
    const watch = new RoomWatch({ prisma: db.prisma, intervalMs: config.offers.intervalMs });
    await watch.load();
    const offers = new OfferService({
      sql: db.sql,
      watched: watch,
      rooms,
      slack: () => surface?.poster,
      logger: logger.child({ component: "offers" }),
      intervalMs: config.offers.intervalMs,
      attention: attentionConfig,
      minRisk: config.offers.minRisk,
    });
    const spatial = overrides.ambient
      ? undefined
      : new SpatialObserver({
          store: rooms,
          apply: attention.apply,
          names: () => (surface ? names : undefined),
          afterUpdate: (territory, room, state) => void offers.consider(territory, room, state),
          logger,
        });
    // After the Slack surface stopped (cleanups run in reverse): no message is observed after the last write.
    cleanups.push(async () => {
      spatial?.close();
      await offers.settled();
      await rooms.close();
    });
    const membership = new SlackMembership({ slack: { call: (method, fn) => surface!.poster.call(method, fn) } });
    const focus = new Focus({ prisma: db.prisma, rooms: (territory) => rooms.allRooms(territory), membership: (user) => membership.roomsOf(user), persist: () => rooms.flush(), config: attentionConfig, logger: logger.child({ component: "focus" }) });
    let botUserId: string | undefined;
    const workflowMetrics = new WorkflowMetrics(integrations.metrics.registry);
    // Workflows: runs recorded under a lease, so a run whose process died is resumed (or failed, once) by any instance.
    const engine = new WorkflowEngine({
      store: new PrismaRunStore(db),
      instanceId: `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`,
      leaseMs: config.work.leaseMs,
      logger: logger.child({ component: "workflows" }),
      onRunInterrupted: (run) => interrupted(run.context),
      onSlowRun: (run) => workflowMetrics.slowRun(run),
    });
    cleanups.push(async () => engine.close());
    const registry = new WorkflowRegistry();
    // Every message is matched against the project names; they change rarely, so one read serves a few seconds
    // of traffic (another instance's change shows within that; this one's at once).
    const knownProjects = cachedRead(async () => (await db.prisma.project.findMany({ select: { name: true } })).map((p) => p.name), { ttlMs: 5_000 });
    const projects = new ProjectDirectory(db.prisma, () => knownProjects.invalidate());
    const githubLogins = new GitHubLogins(db.prisma);
    let issues: CreateIssueWorkflow | undefined;
    let pages: NotionPageOffers | undefined;
    const interrupted = async (where: { channelId?: string; threadTs?: string }) => {
      if (!surface || !where.channelId) return;
      await surface.poster.postMessage(where.channelId, where.threadTs, { text: "I was interrupted while working on this and couldn't finish it. Nothing more will happen — please ask me again if it's still needed." });
    };
    // Scheduled standups: one row per channel, run by one every-minute cron tick (started once Slack is up).
    let standups: StandupWorkflow | undefined;
    const runStandup: StandupRunner = overrides.runStandup ?? ((input) => standups!.runStandup(input));
    const schedules = new ScheduleStore(db.prisma);
    const standupScheduler = new StandupScheduler({ store: schedules, runStandup, poster: () => surface?.poster, logger: logger.child({ component: "standup-schedules" }) });
    const scheduleCommands = new StandupScheduleCommands({
      store: schedules,
      timeZoneOf: async (user) => {
        const found = await surface!.poster.call("users.info", (c) => c.users.info({ user }));
        return typeof found.user?.tz === "string" && found.user.tz !== "" ? found.user.tz : undefined;
      },
      fallbackTimeZone: config.timeZone,
      available: () => standupScheduler.available,
      logger: logger.child({ component: "standup-schedules" }),
    });
    const router =
      overrides.router?.({ integrations }) ??
      createRouter({ config, logger, db, integrations, botUserId: () => botUserId, overrides, focus, watch, registry, projects, knownProjects, schedules: scheduleCommands, githubLogins });
    const slack = await createSlackSurface({
      receiver:
        config.slack.mode === "socket"
          ? { mode: "socket", appToken: config.slack.appToken! }
          : { mode: config.slack.mode, signingSecret: slackCredentials.signingSecret },
      botToken: slackCredentials.botToken,
      apiUrl: slackCredentials.apiUrl,
      timeoutMs: config.breakers.slack.timeoutMs,
      logger,
      policy: integrations.policies.slack,
      router,
      claims,
      conversations,
      feedback: new DatabaseFeedbackVotes(db.sql),
      offers,
      moreActions: (ask) => ({ ...issueActionHandlers(() => issues!, ask), ...pageActionHandlers(() => pages!) }),
      views: issueViewHandlers(() => issues!),
      ambient: overrides.ambient ?? spatial!,
      homeInput: async (viewer) => ({
        integrations: serviceHealth(integrations.registry.list()),
        // The map is a courtesy: when it can't be built the rest of the Home tab still shows.
        extraSections: await focus.homeSection(viewer).then(
          (section) => [section],
          (err: unknown) => {
            logger.warn({ err }, "could not build the attention map for the Home tab");
            return [];
          },
        ),
      }),
      queue: config.queue,
      accepted,
      deadlineMs: config.work.deadlineMs,
      staleAfterMs: config.work.recoveryStaleMs,
      pacing: overrides.pacing,
      progressAfterMs: overrides.progressAfterMs,
    });

    botUserId = slack.botUserId;
    surface = slack;
    const people = new PeopleNames(slack.poster);
    // What every workflow asks of the integrations: is GitHub refusing, is there a model to use, what is a room linked to.
    const githubOpen = () => integrations.policies.github.snapshot().state === "open";
    const model = () => (integrations.llm.configured && integrations.policies.llm.snapshot().state !== "open" ? integrations.llm : undefined);
    const roomMemory = new RoomMemoryStore(db.prisma);
    const roomRepo = (inbound: { territory: string; room: { id: string } }) => roomMemory.linkedRepo(inbound.territory, inbound.room.id);
    issues = new CreateIssueWorkflow({
      engine,
      github: integrations.github,
      githubOpen,
      model,
      drafts: new DraftStore(db.prisma),
      projects,
      roomRepo,
      poster: slack.poster,
      personName: (id) => people.name(id),
      permalink: async (channel, ts) => {
        const found = await slack.poster.call("chat.getPermalink", (c) => c.chat.getPermalink({ channel, message_ts: ts }));
        return typeof found.permalink === "string" ? found.permalink : undefined;
      },
      ttlMs: config.drafts.ttlMs,
      logger: logger.child({ component: "create-issue" }),
    });
    registry.register(issues.definition());
    pages = new NotionPageOffers({
      engine,
      notion: integrations.notion,
      drafts: new PageDraftStore(db.prisma),
      poster: slack.poster,
      ttlMs: config.drafts.ttlMs,
      logger: logger.child({ component: "notion-pages" }),
    });
    standups = new StandupWorkflow({
      engine,
      github: integrations.github,
      prisma: db.prisma,
      githubOpen,
      model,
      projects,
      roomRepo: (teamId, channelId) => roomMemory.linkedRepo(teamId, channelId),
      people: new PeopleDirectory({ logins: githubLogins, github: integrations.github, slack: () => surface?.poster, logger: logger.child({ component: "standup-people" }) }),
      timeZone: config.timeZone,
      ...(overrides.now ? { now: overrides.now } : {}),
      logger: logger.child({ component: "standup" }),
      // Where "save to Notion" pages go: PIPER_NOTION_PARENT, or the demo workspace's notes page in local mode.
      notion: { parent: parseNotionParent(config.notion.parent ?? demo?.notion?.pagesParent), offer: (page) => pages!.offer(page) },
    });
    registry.register(standups.definition());
    registry.register(
      new SummarizeThreadWorkflow({
        engine,
        readThread: (inbound) => slack.threadContext.thread(inbound),
        userName: slackUserNames(slack.poster),
        model,
        logger: logger.child({ component: "summarize" }),
      }).definition(),
    );
    registry.register(
      new ReviewWorkflow({
        engine, github: integrations.github, githubOpen, model, projects, roomRepo, staleDays: config.planning.staleDays, logger: logger.child({ component: "review" }),
      }).definition(),
    );
    registry.register(
      new PlanWorkflow({
        engine, github: integrations.github, githubOpen, model, projects, roomRepo, sprintDays: config.planning.sprintDays, logger: logger.child({ component: "plan" }),
      }).definition(),
    );
    // Shutdown runs these in reverse: stop accepting requests, drain accepted work, then close the rest.
    cleanups.push(() => slack.stop(config.work.shutdownDrainMs));
    const http = await startHttpServer({
      port: config.port,
      host: config.host,
      logger,
      health: () => healthReport({ config, db, integrations }),
      metrics: async () => ({ contentType: integrations.metrics.contentType, text: await integrations.metrics.text() }),
      slack: slack.httpListener,
    });
    cleanups.push(() => http.close());

    localSlack?.setDeliveryUrl(`http://127.0.0.1:${http.port}/slack/events`);
    await slack.start();
    // Requests accepted before a crash or deploy (here or on another instance) are answered by this worker.
    await accepted.startRecovery((job) => slack.intake.recover(job));
    // Workflow runs whose owner died (leases expire after config.work.leaseMs): looked for now and then on.
    engine.startRecovery(Math.max(1_000, Math.floor(config.work.leaseMs / 2)));
    const ticks = await startStandupTicks({ boss: jobs, scheduler: standupScheduler, logger });
    cleanups.push(() => ticks.stop());
    // A slot missed while no Piper ran is due now (if it is still its day): no need to wait for the first cron tick.
    const firstTick = standupScheduler.tick().catch((err: unknown) => logger.warn({ err }, "the start-up standup tick failed"));
    cleanups.push(async () => void (await firstTick));

    if (await needsTableUpkeep(db.kind, db.sql)) {
      if (db.kind === "postgres") logger.info("autovacuum is off on this PostgreSQL server: Piper analyzes and vacuums its own tables");
      // Upkeep holds PGlite's one session (or a server's CPU) for tens of milliseconds: between Slack's requests, when it can.
      const upkeep = startTableUpkeep({ sql: db.sql, logger, quiet: () => Date.now() - accepted.lastAcceptedAt > 1_000 });
      cleanups.push(async () => upkeep.stop());
    }

    const pruneTimer = setInterval(() => {
      claims.prune(new Date(Date.now() - 24 * 3_600_000)).catch((err: unknown) => logger.warn({ err }, "pruning processed events failed"));
    }, 3_600_000);
    pruneTimer.unref();
    cleanups.push(async () => clearInterval(pruneTimer));

    return { config, db, rooms, watch, offers, jobs, standupScheduler, accepted, integrations, slack, standups, http, localSlack, botUserId: slack.botUserId, stop: cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/**
 * A minimal attention state until the attention model (src/spatial/attention.ts) replaces these two
 * functions: how many messages a room has had and when the last came; the score is the count.
 */
/** The routing graph over this Piper's database and integrations. */
function createRouter(deps: {
  config: Config; logger: Logger; db: Database; integrations: Integrations; botUserId: () => string | undefined; overrides: PiperOverrides; focus: FocusCommands; watch: WatchCommands;
  registry: WorkflowRegistry; projects: ProjectDirectory; knownProjects: () => Promise<string[]>; schedules: StandupScheduleCommands; githubLogins: GitHubLogins;
}): Router {
  const { config, logger, db, integrations, knownProjects } = deps;
  const llm = integrations.llm;
  const llmAvailable = () => integrations.policies.llm.snapshot().state !== "open";
  const resolver = createIntentResolver({
    config, logger, llm, llmAvailable, knownProjects, botUserId: deps.botUserId,
    local: deps.overrides.localClassifier,
    classifierCacheDir: classifierCacheDir(config.database, !deps.overrides.database),
  });
  const assembler = new ContextAssembler({
    prisma: db.prisma,
    storageDescription: config.database.kind === "pglite" ? `the embedded database in ${config.database.dataDir}` : "the team's PostgreSQL database",
    modelConfigured: () => llm.configured,
  });
  const floor = new ConversationalFloor({
    assembler,
    model: llm.configured ? { configured: true, streamText: (input, signal) => llm.streamText(input, signal) } : undefined,
    logger: logger.child({ component: "floor" }),
    failureSentence: modelFailureSentence,
  });
  const memory = new RoomMemoryHandler(new RoomMemoryStore(db.prisma), deps.projects, deps.githubLogins);
  return new GraphRouter({
    resolver,
    floor,
    workflows:
      deps.overrides.workflows ??
      new WorkflowDispatcherImpl({ prisma: db.prisma, github: integrations.github, fallback: new NotYetWorkflowDispatcher(), registry: deps.registry, roomRepo: (inbound) => memory.linkedRepo(inbound) }),
    handlers: createCanonicalHandlers({ prisma: db.prisma, github: integrations.github }),
    projects: () => listProjects({ prisma: db.prisma, github: integrations.github, notion: integrations.notion }),
    health: async () => renderHealth(await healthSummary({ integrations, db })),
    setup: () => ({ services: serviceHealth(integrations.registry.list()), slackMode: config.slack.mode }),
    modelConfigured: () => llm.configured,
    logger: logger.child({ component: "router" }),
    memory,
    focus: deps.focus,
    watch: deps.watch,
    schedules: deps.schedules,
  });
}
