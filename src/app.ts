import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Server } from 'restify';
import type { AppConfig } from './config';
import { isStoreUnavailable, StoreUnavailableError } from './errors';
import { createCommandRegistry, deviceAnswerDeps, type CommandWiring } from './createCommandRegistry';
import { createServer } from './http/createServer';
import { createMetricsServer } from './http/createMetricsServer';
import { metricsAccess } from './http/metricsAccess';
import type { Logger } from './log';
import { configAccessPolicy } from './teams/accessPolicy';
import { ComplianceBot } from './teams/complianceBot';
import { deviceViewers } from './teams/deviceViewers';
import { createAdapter } from './teams/createAdapter';
import { cachedFor, loadConnectorScope } from './lookup/connectorScope';
import { InventoryIndex } from './lookup/inventoryIndex';
import type { RolloutCardDeps } from './rollout/rolloutCard';
import type { BotStore } from './store/botStore';
import type { GraphClient } from './upstream/graph/graphClient';
import type { JamfClient } from './upstream/jamf/jamfClient';
import { createUpstreamClients } from './upstream/createUpstreamClients';
import { scheduledJobs, type AppJobs } from './jobs/scheduledJobs';
import { Scheduler } from './jobs/scheduler';
import { openBotStore } from './store/openBotStore';
import { guardStore } from './store/guardStore';
import { StoreHealth } from './store/storeHealth';
import { describeDatabaseUrl } from './store/describeDatabaseUrl';
import { createTeamsNotifier } from './teams/teamsNotifier';
import { InFlightTurns } from './http/inFlightTurns';
import { createAppMetrics, type AppMetrics } from './metrics/appMetrics';
import { PendingUpstreams } from './upstream/pendingUpstreams';
import { UpstreamHealth } from './upstream/upstreamHealth';
import { combineObservers } from './upstream/upstreamObserver';
import { BroadcastService } from './broadcasts/broadcastService';
import {
  BATCH_SPACING_SHARE,
  BLANK_PUSH_CHUNK,
  RemediationBatches,
  batchMinimumGap,
} from './broadcasts/remediationBatches';
import { batchCandidates as findBatchCandidates } from './lookup/batchCandidates';
import type { BroadcastMetrics } from './broadcasts/broadcastMetrics';
import { Dispatcher } from './broadcasts/dispatcher';
import type { RecheckRecipient } from './broadcasts/reminderCheck';
import { createProactiveInstaller } from './broadcasts/proactiveInstaller';
import { loadAudience } from './broadcasts/loadAudience';
import { fleetAnswer, type FleetAnswerTiming } from './commands/fleetAnswer';
import type { FleetSnapshotSource } from './compliance/fleetSnapshotTypes';
import { FleetSync } from './fleet/fleetSync';
import { FleetSnapshotReader } from './fleet/fleetSnapshotReader';
import { diagnoseFleetSnapshot } from './lookup/diagnoseFleetSnapshot';
import { recheckRecipient } from './broadcasts/recheckRecipient';
import { recordComplianceChanges } from './broadcasts/recordComplianceChanges';
import { RequestPacer, type SendPacer } from './broadcasts/requestPacer';
import { SharedRequestPacer } from './broadcasts/sharedRequestPacer';
import { PgBotStore } from './store/pgBotStore';
import { memoryRateLimiters, type RateLimiters } from './store/rateLimiters';
import { renderCard } from './cards/renderCard';
import { translatorFor } from './cards/i18n/translator';
import { readerLocale } from './broadcasts/readerLocale';
import { reminderCardModel } from './cards/reminderCardModel';
import { TEAMS_LIMITS } from './broadcasts/teamsLimits';
import { createTeamsReminderTransport } from './teams/teamsReminderTransport';
import { createJamfWebhookIntake } from './live/jamfWebhookIntake';
import { WebhookWorker, type MembershipChange } from './live/webhookWorker';
import { ThankYouService } from './broadcasts/thankYouService';
import { recheckMac } from './broadcasts/recheckMac';
import { sendPersonalCard } from './broadcasts/sendPersonalCard';
import { DropAlerts } from './alerts/dropAlerts';
import { liveUpdates as createLiveUpdates, type LiveUpdates } from './jobs/liveUpdates';

export interface App {
  server: Server;
  /** What the bot stored: conversations, audit log, snapshots, campaigns (tests read it). */
  store: BotStore;
  graph: GraphClient;
  jamf: JamfClient;
  /** Jamf's inventory in memory, reloaded by the scheduler; `check device` searches it first. */
  inventory: InventoryIndex;
  /** The periodic jobs, callable directly; `scheduler` runs them once started (src/main.ts). */
  jobs: AppJobs;
  scheduler: Scheduler;
  /** Prometheus metrics; `broadcastSends` is what the broadcast dispatcher reports to. */
  metrics: AppMetrics;
  /** Upstream health from recent call outcomes (what `/readyz` reports). */
  health: UpstreamHealth;
  /** The rollout card's batch fixes: started by `listen()` (resumes what a restart left). */
  batches: RemediationBatches;
  /** Reminder campaigns: started by `listen()` (the dispatcher resumes what a restart left). */
  broadcasts: BroadcastService;
  dispatcher: Dispatcher;
  /**
   * The fleet snapshot's sync (issue 17): started with the scheduler (src/startBot.ts), so a
   * bare `listen()` (tests) builds the snapshot only when the first fleet-wide answer asks.
   */
  fleetSync: FleetSync;
  /** The snapshot held in memory for fleet-wide answers. */
  fleetReader: FleetSnapshotReader;
  /** Turns queued Jamf webhook deliveries into refreshes; null when JAMF_WEBHOOK_SECRET is not set. */
  webhookWorker: WebhookWorker | null;
  /**
   * Issue 22: thank-you cards and drop alerts. The fleet snapshot's change emitter calls
   * `liveUpdates.handleFleetChanges`, the Jamf webhook worker `liveUpdates.onMembershipChange`;
   * the re-checks run on the scheduler (`live-updates`, every minute).
   */
  liveUpdates: LiveUpdates;
  /**
   * Starts listening on the configured host and port (port 0 = any free port), and on
   * 127.0.0.1:METRICS_PORT for `/metrics` when that is set (`metricsUrl`).
   */
  listen(): Promise<{ url: string; port: number; metricsUrl?: string }>;
  /**
   * Graceful stop: no new connections or turns, in-flight turns finish (up to
   * `config.shutdownGraceMs`), then the scheduler, clients and store close.
   */
  close(): Promise<void>;
}

export interface AppDeps {
  logger: Logger;
  now?: () => Date;
  /** Counts sends by outcome (a Prometheus exporter wires its counters here). */
  broadcastMetrics?: BroadcastMetrics;
  /**
   * The re-check before each reminder (default: live Jamf and Graph). Multi-process tests and
   * benches replace it so thousands of sends do not each look a person up in the simulators.
   */
  recheck?: RecheckRecipient;
  /**
   * Where fleet-wide answers read the fleet (default: a live load per answer, until the
   * snapshot store and sync are wired), and how their progress cards and Refresh are timed.
   * Tests inject a snapshot in a given state.
   */
  fleet?: { source: FleetSnapshotSource; timing?: Partial<FleetAnswerTiming> };
  /**
   * Re-reads these Jamf computers and publishes them in the fleet snapshot (the sync engine's
   * `refreshComputers`). The Jamf webhook worker calls it with ≤ 100 ids at a time.
   */
  refreshComputers?: (jamfIds: string[]) => Promise<void>;
  /** Hears each Jamf smart group change after its Macs were refreshed (the drop alert). */
  onMembershipChange?: (e: MembershipChange) => Promise<void> | void;
  /** How long a failed write keeps `/readyz` at 503 after the store's probe passes (tests shorten it). */
  storeFailureHoldMs?: number;
}

/**
 * The composition root: builds the clients, store, broadcasts, commands (each given the use cases
 * it declares), bot, adapter and HTTP server from one config, and hands each its dependencies.
 * Nothing below this reads the environment.
 */
export function createApp(config: AppConfig, deps: AppDeps): App {
  const { logger } = deps;
  const metrics = createAppMetrics();
  const health = new UpstreamHealth();
  const pending = new PendingUpstreams();
  const { graph, jamf } = createUpstreamClients(config, {
    logger,
    observer: combineObservers(metrics.upstream, health.observer, pending.observer),
  });
  const connectorScope = cachedFor(5 * 60_000, () => loadConnectorScope(graph, config.connector.name));
  const storeHealth = new StoreHealth({
    logger: logger.child({ component: 'store' }),
    holdMs: deps.storeFailureHoldMs,
  });
  // Every outage error of either engine reaches callers as one StoreUnavailableError (issue 21).
  const store = guardStore(
    openBotStore(config.store, logger),
    storeHealth,
    config.store.databaseUrl
      ? describeDatabaseUrl(config.store.databaseUrl)
      : `SQLite file ${config.store.path}`,
  );
  const refreshMs = config.inventory.refreshMinutes * 60_000;
  const inventory = new InventoryIndex({
    jamf,
    // From the fleet snapshot, not a second load of the fleet from Jamf: the computers the sync
    // keeps (every Mac) when this instance syncs, else the reader's (the applicable Macs).
    source: async () => {
      const kept = fleetSync.keptComputers();
      if (kept) return { ...kept, complete: true };
      const read = await fleetReader.read();
      return read.state === 'ready'
        ? { computers: read.records.map((r) => r.jamf), asOf: read.asOf, complete: false }
        : null;
    },
    // A missed reload or two is tolerated, and the snapshot's computers are as old as its last
    // sync; after that `check device` asks Jamf live again.
    maxAgeMs: Math.max(refreshMs, config.fleetSync.intervalMinutes * 60_000) * 2 + 60_000,
    now: deps.now,
    logger: logger.child({ component: 'inventory-index' }),
  });
  const adapter = createAdapter(config.bot, logger);
  const notifier = createTeamsNotifier({
    adapter,
    appId: config.bot.appId,
    store,
    adminChannelId: config.alerts.adminChannelId,
    logger: logger.child({ component: 'notifier' }),
  });
  // The reminders' re-check looks people up as `check device` does: the inventory index first.
  const lookup = { jamf, graph, connectorScope, inventory };
  const diagnose = diagnoseFleetSnapshot(config.criteria);
  // This instance, as the owner of job claims and outbox leases (several may share a PostgreSQL store).
  const instanceId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  // The fleet snapshot (issue 17): the sync keeps it in the store (one instance at a time), the
  // reader holds it in memory for fleet-wide answers; a publish here is seen at once.
  const fleetSync = new FleetSync({
    store,
    graph,
    jamf,
    criteria: config.criteria,
    connectorName: config.connector.name,
    settings: config.fleetSync,
    log: logger.child({ component: 'fleet-sync' }),
    now: deps.now,
    instanceId,
  });
  const fleetReader = new FleetSnapshotReader({
    store,
    requestSync: () => fleetSync.syncNow(),
    logger: logger.child({ component: 'fleet-reader' }),
    now: deps.now,
  });
  const fleetSource: FleetSnapshotSource = deps.fleet?.source ?? fleetReader;
  let listenUrl: string | null = null;
  const transport = createTeamsReminderTransport({
    adapter,
    appId: config.bot.appId,
    serviceUrl: async () => {
      if (config.broadcast.serviceUrl) return config.broadcast.serviceUrl;
      const seen = config.alerts.adminChannelId
        ? await store.getConversation(config.alerts.adminChannelId)
        : await store.firstChannel();
      const url = seen?.reference.serviceUrl;
      return typeof url === 'string' ? url : null;
    },
  });
  // Several instances share a PostgreSQL store: the Teams ceiling (per app per tenant) is paced
  // in the database across all of them; one SQLite instance paces in process.
  const shared = store instanceof PgBotStore ? store : null;
  const pacer: SendPacer & { close(): void } = shared
    ? new SharedRequestPacer({
        rate: shared,
        key: `${config.bot.appId}:${config.tenantId}`,
        perSecond: config.broadcast.maxPerSecond,
        perConversation: TEAMS_LIMITS.perConversation,
        logger: logger.child({ component: 'pacer' }),
      })
    : new RequestPacer({
        perSecond: config.broadcast.maxPerSecond,
        perConversation: TEAMS_LIMITS.perConversation,
      });
  // Issue 21: the per-user command limit and the progress cards' pace, likewise counted in the
  // database across instances on PostgreSQL, in memory for one SQLite process.
  const rateLimiters: RateLimiters = shared
    ? shared.rateLimiters(logger.child({ component: 'rate-limits' }))
    : memoryRateLimiters;
  // Graph installs for users without the app: a few at a time (they are not Bot Connector requests).
  const installer = config.broadcast.proactiveInstall
    ? createProactiveInstaller({ graph, manifestId: config.bot.manifestId, concurrency: 4 })
    : undefined;
  // The dispatcher reports to the broadcast service, which is built with the dispatcher.
  let onCampaignProgress: (id: string, done: boolean) => void = () => {};
  const dispatcher = new Dispatcher(
    {
      store,
      transport,
      pacer,
      installer,
      recheck:
        deps.recheck ??
        recheckRecipient({ ...lookup, config, history: store, logger }, () =>
          (deps.now ?? (() => new Date()))(),
        ),
      // In the language and time zone of the person's 1:1 chat, else their preferredLanguage in Entra ID.
      userLanguage: (aadObjectId) => graph.getUserLanguage(aadObjectId),
      renderReminder: (campaign, recipient, macs, reader) =>
        renderCard(
          'reminderCard',
          reminderCardModel(recipient, macs, campaign.deadline, campaign.id, {
            t: translatorFor(reader),
            selfServicePolicyName: config.endUsers.selfServicePolicyName,
          }),
        ),
      // /metrics counts every outcome; a caller's own hook (tests, bench) hears them too.
      metrics: {
        reminderOutcome: (outcome, reason) => {
          metrics.sendFinished(outcome);
          deps.broadcastMetrics?.reminderOutcome(outcome, reason);
        },
        throttled: () => {
          metrics.sendFinished('throttled');
          deps.broadcastMetrics?.throttled();
        },
        retried: (detail) => {
          metrics.sendFinished('retried');
          deps.broadcastMetrics?.retried(detail);
        },
      },
      onProgress: (id, done) => onCampaignProgress(id, done),
      logger: logger.child({ component: 'dispatcher' }),
      now: deps.now,
    },
    {
      owner: instanceId,
      concurrency: config.broadcast.concurrency,
      maxAttempts: config.broadcast.maxAttempts,
      maxThrottles: 20,
      backoffBaseMs: 1_000,
      backoffMaxMs: 60_000,
      leaseMs: config.broadcast.leaseSeconds * 1000,
      frequencyCapDays: config.broadcast.frequencyCapDays,
      pollMs: 1_000,
      tenantId: config.tenantId,
      // Only expired leases are taken over when other instances may be running.
      singleInstance: shared === null,
    },
  );
  const broadcasts = new BroadcastService({
    store,
    dispatcher,
    notifier,
    fleet: fleetSource,
    loadAudience: (snapshot, opts, now) => loadAudience({ graph, diagnose }, snapshot, opts, now),
    config,
    // CSV_EXPORT=false: no link, so the progress card has no Export CSV button.
    publicUrl: () => (config.broadcast.csvExport ? (config.broadcast.publicUrl ?? listenUrl) : null),
    owner: instanceId,
    rateLimiters,
    logger: logger.child({ component: 'broadcasts' }),
    now: deps.now,
  });
  onCampaignProgress = (id, done) => broadcasts.onProgress(id, done);
  // Thank-yous reach people as reminders do (stored 1:1 or a new one, proactive install, the
  // shared pacer), outside any campaign's outbox; the drop alert goes to the admin channel.
  const liveUpdates = createLiveUpdates({
    thankYous: new ThankYouService({
      store,
      recheckMac: recheckMac(lookup),
      // The thank-you is written in the language of the person's stored 1:1 chat, else Entra's preferredLanguage.
      readerOf: async (aadObjectId) =>
        readerLocale(aadObjectId, await store.findPersonalConversation(aadObjectId), {
          userLanguage: (id) => graph.getUserLanguage(id),
          logger,
        }),
      sendCard: (aadObjectId, card) =>
        sendPersonalCard(
          {
            store,
            transport,
            pacer,
            installer,
            tenantId: config.tenantId,
            now: () => (deps.now ?? (() => new Date()))(),
          },
          aadObjectId,
          card,
        ),
      config,
      history: store,
      owner: instanceId,
      logger: logger.child({ component: 'thank-you' }),
      now: deps.now,
    }),
    dropAlerts: new DropAlerts({
      store,
      notifier,
      config,
      logger: logger.child({ component: 'drop-alert' }),
      now: deps.now,
    }),
    recordComplianceChanges: recordComplianceChanges({ history: store, config }),
  });
  // The rollout card's batch fixes (issue 19): Jamf requests paced at REMEDIATION_BATCH_PER_SECOND,
  // across instances through the database's slot row when they share PostgreSQL.
  const batchCandidates = findBatchCandidates(config.criteria, diagnose);
  // One pacing key for every batch request, held to one grant per interval: the pacer's catch-up
  // after an idle spell would otherwise grant two at once, and Jamf would see them together.
  const batchGap = [batchMinimumGap(config.remediationBatch.perSecond)];
  const sharedBatchPacer = shared
    ? new SharedRequestPacer({
        rate: shared,
        key: `jamf-batch:${config.jamf.baseUrl}`,
        perSecond: config.remediationBatch.perSecond,
        perConversation: batchGap,
        logger: logger.child({ component: 'batch-pacer' }),
      })
    : null;
  const batchPacer: SendPacer & { close(): void } =
    sharedBatchPacer ??
    new RequestPacer({
      perSecond: config.remediationBatch.perSecond,
      perConversation: batchGap,
      spacingShare: BATCH_SPACING_SHARE,
    });
  const batches = new RemediationBatches({
    store,
    jamf,
    pacer: batchPacer,
    notifier,
    fleet: fleetSource,
    candidates: batchCandidates,
    limiters: rateLimiters,
    settings: {
      owner: instanceId,
      perSecond: config.remediationBatch.perSecond,
      spacedPerSecond:
        sharedBatchPacer?.spacedPerSecond ?? config.remediationBatch.perSecond * BATCH_SPACING_SHARE,
      pushChunk: BLANK_PUSH_CHUNK,
      concurrency: 2,
      leaseMs: config.broadcast.leaseSeconds * 1000,
      pollMs: 1_000,
      maxAttempts: config.broadcast.maxAttempts,
      progressEveryMs: config.broadcast.progressUpdateSeconds * 1000,
      singleInstance: shared === null,
    },
    logger: logger.child({ component: 'batch-fixes' }),
    now: deps.now,
  });
  const rollout: RolloutCardDeps = { diagnose, config, store, history: store, candidates: batchCandidates };
  const fleetAnswers = fleetAnswer({ fleet: fleetSource, notifier, timing: deps.fleet?.timing });
  const wiring: CommandWiring = {
    config,
    graph,
    jamf,
    connectorScope,
    inventory,
    store,
    notifier,
    broadcasts,
    fleetAnswer: fleetAnswers,
    diagnose,
    batchCandidates,
    batches,
    deviceViewers: deviceViewers(config, { graph, logger }),
  };
  const registry = createCommandRegistry(wiring);
  const access = configAccessPolicy(config, { graph, logger });
  const bot = new ComplianceBot({
    registry,
    access,
    extension: {
      device: deviceAnswerDeps(wiring),
      access,
      logger,
      now: deps.now ?? (() => new Date()),
      metrics,
    },
    logger,
    now: deps.now,
    conversations: store,
    audit: store,
    welcomes: store,
    welcome: config.endUsers,
    rateLimit: { ...config.rateLimit, limiters: rateLimiters },
    deadlineMs: config.commandDeadlineMs,
    metrics,
    upstreams: pending,
  });
  const jobs = scheduledJobs({
    config,
    connector: { graph, store, notifier, config },
    rollout,
    fleet: fleetSource,
    inventory,
    notifier,
    logger,
  });
  const scheduler = new Scheduler({
    logger,
    now: deps.now,
    claim: (job, dueAt) => store.claimJobRun(job, dueAt, instanceId),
  });
  for (const job of jobs.scheduled) scheduler.add(job);
  // Jamf webhooks (issue 22): the endpoint queues, the worker refreshes the named Macs.
  const refreshComputers =
    deps.refreshComputers ??
    (async (jamfIds: string[]) => {
      const outcome = await fleetSync.refreshComputers(jamfIds);
      // Another instance is syncing, or no snapshot is published yet: the worker keeps the
      // deliveries and tries again after a backoff.
      if (outcome.ran === 'busy') throw new Error('another instance holds the fleet sync lease');
      if (outcome.ran === 'deferred') throw new Error('the fleet snapshot is being built');
    });
  // Each publish in this process: the reader catches up at once, and the Macs that changed go to
  // the thank-you and the drop alert (only here, where the sync ran: the claims are once-only anyway).
  fleetSync.onPublished((meta, records, changed) => {
    fleetReader.notifyPublished(records && { meta, records, changed });
    // A whole-fleet publish (a full build, the first sync after a start): the index at once,
    // rather than at its next scheduled reload.
    if (records && config.inventory.refreshMinutes > 0)
      inventory.refresh().catch((err: unknown) => logger.warn({ err }, 'inventory index reload failed'));
    fleetReader.read().catch((err: unknown) => logger.warn({ err }, 'fleet reader could not catch up'));
  });
  fleetReader.onChanges((changes) => {
    liveUpdates
      .handleFleetChanges(changes)
      .catch((err: unknown) => logger.error({ err }, 'thank-you or drop alert failed for a fleet change'));
  });
  const webhookSecret = config.jamfWebhooks.secret;
  const webhookWorker = webhookSecret
    ? new WebhookWorker(
        {
          queue: store,
          refreshComputers,
          onMembershipChange: deps.onMembershipChange ?? ((e) => liveUpdates.onMembershipChange(e)),
          logger: logger.child({ component: 'webhook-worker' }),
          now: deps.now,
        },
        // A refresh re-joins only what its Macs reach, so its cost follows the chunk: at 50,000
        // Macs 500 ids keep each step (compare, join and hash ~30 ms, the store's write ~35 ms,
        // the reader's catch-up) under 50 ms; 1,000 took ~60 ms each. Jamf is still read 100
        // ids a listing, 5 at once: the same requests, one round trip a chunk.
        { owner: instanceId, singleInstance: shared === null, chunkSize: 500 },
      )
    : null;
  const jamfWebhook = webhookSecret
    ? createJamfWebhookIntake({
        secret: webhookSecret,
        headerName: config.jamfWebhooks.headerName,
        maxBodyBytes: config.jamfWebhooks.maxBodyBytes,
        queue: store,
        logger: logger.child({ component: 'jamf-webhooks' }),
        now: deps.now,
        observe: (outcome) => metrics.webhookFinished(outcome),
        onQueued: () => webhookWorker?.wake(),
      })
    : undefined;
  scheduler.add(liveUpdates.job);
  const turns = new InFlightTurns();
  const metricsPolicy = metricsAccess(config);
  const metricsServer =
    metricsPolicy.loopbackPort === null
      ? null
      : createMetricsServer(metrics, logger.child({ component: 'metrics' }), metricsPolicy.loopbackAccess);
  const server = createServer({
    adapter,
    logic: (context) => bot.run(context),
    logger,
    maxBodyBytes: config.http.maxBodyBytes,
    appId: config.bot.appId,
    turns,
    metrics,
    metricsAccess: metricsPolicy.main,
    // From the outcomes of calls the bot made anyway: a probe never calls Graph or Jamf.
    ready: async () => {
      const checks = { graph: health.of('graph'), jamf: health.of('jamf') };
      const failing = Object.values(checks).includes('failing');
      // The database is probed (cheap, local): without it no command or campaign can work.
      const database = storeHealth.state(
        await store.probe().then(
          () => null,
          (e: unknown) => (isStoreUnavailable(e) ? e : new StoreUnavailableError('unreachable', String(e))),
        ),
      );
      return {
        ready: turns.accepting && !failing && database === 'ok',
        checks: { bot: turns.accepting ? 'ok' : 'stopping', mode: config.mode, database, ...checks },
      };
    },
    download: config.broadcast.csvExport ? (path, query) => broadcasts.download(path, query) : undefined,
    jamfWebhook,
  });

  return {
    server,
    store,
    graph,
    jamf,
    inventory,
    jobs,
    scheduler,
    metrics,
    health,
    batches,
    broadcasts,
    dispatcher,
    fleetSync,
    fleetReader,
    webhookWorker,
    liveUpdates,
    listen: async () => {
      // A PostgreSQL store is migrated first: no traffic before the schema is current.
      await store.ready();
      const metricsUrl = metricsServer
        ? await listenOnLoopback(metricsServer, metricsPolicy.loopbackPort ?? 0)
        : undefined;
      if (metricsUrl) logger.info({ url: metricsUrl }, `metrics served on ${metricsUrl} (127.0.0.1 only)`);
      if (metricsPolicy.notice) logger.warn(metricsPolicy.notice);
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.http.port, config.http.host, () => {
          const { port } = server.address() as AddressInfo;
          const host = config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host;
          listenUrl = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
          broadcasts
            .start()
            .then(() => {
              // Deliveries a previous run accepted but did not process are picked up now.
              webhookWorker?.start();
              // Batch fixes a previous run left unfinished go on.
              return batches.start();
            })
            .then(
              () => resolve({ url: `http://${host}:${port}`, port, ...(metricsUrl ? { metricsUrl } : {}) }),
              (e: unknown) => reject(e instanceof Error ? e : new Error(String(e))),
            );
        });
      });
    },
    close: async () => {
      const http = server.server as unknown as { closeIdleConnections(): void; closeAllConnections(): void };
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      http.closeIdleConnections();
      const finished = await turns.drain(config.shutdownGraceMs);
      if (!finished)
        logger.warn({ inFlight: turns.size }, 'shutdown: turns still running after the grace period');
      // Keep-alive connections would hold close() open; end them.
      http.closeAllConnections();
      await closed;
      if (metricsServer?.listening) {
        const stopped = new Promise<void>((resolve) => metricsServer.close(() => resolve()));
        metricsServer.closeAllConnections();
        await stopped;
      }
      await scheduler.stop();
      // The sync first: a worker round waiting on a refresh queued behind a full build would
      // otherwise hold shutdown for the whole build. A build stays resumable.
      await Promise.all([fleetSync.stop(), webhookWorker?.stop()]);
      await Promise.all([broadcasts.stop(), batches.stop()]);
      pacer.close();
      batchPacer.close();
      jamf.close();
      await graph.close();
      await store.close();
    },
  };
}

/** Listens on 127.0.0.1 only (port 0 = any free port); the `/metrics` address. */
function listenOnLoopback(server: HttpServer, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`);
    });
  });
}
