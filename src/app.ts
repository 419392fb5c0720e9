import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Server } from 'restify';
import { ALL_CARD_ACTIONS, ALL_COMMANDS } from './commands/allCommands';
import { CommandRegistry } from './commands/commandRegistry';
import { matchIntent } from './commands/matchIntent';
import type { AppConfig } from './config';
import { createServer } from './http/createServer';
import type { Logger } from './log';
import type { Services } from './services';
import { configAccessPolicy } from './teams/accessPolicy';
import { ComplianceBot } from './teams/complianceBot';
import { createAdapter } from './teams/createAdapter';
import { cachedFor, loadConnectorScope } from './lookup/connectorScope';
import { InventoryIndex } from './lookup/inventoryIndex';
import { createUpstreamClients } from './upstream/createUpstreamClients';
import { scheduledJobs, type AppJobs } from './jobs/scheduledJobs';
import { Scheduler } from './jobs/scheduler';
import { openBotStore } from './store/openBotStore';
import { createTeamsNotifier } from './teams/teamsNotifier';
import { InFlightTurns } from './http/inFlightTurns';
import { createAppMetrics, type AppMetrics } from './metrics/appMetrics';
import { PendingUpstreams } from './upstream/pendingUpstreams';
import { UpstreamHealth } from './upstream/upstreamHealth';
import { combineObservers } from './upstream/upstreamObserver';

export interface App {
  server: Server;
  services: Services;
  /** The periodic jobs, callable directly; `scheduler` runs them once started (src/main.ts). */
  jobs: AppJobs;
  scheduler: Scheduler;
  /** Prometheus metrics; `broadcastSends` is what the broadcast dispatcher reports to. */
  metrics: AppMetrics;
  /** Upstream health from recent call outcomes (what `/readyz` reports). */
  health: UpstreamHealth;
  /** Starts listening on the configured host and port (port 0 = any free port). */
  listen(): Promise<{ url: string; port: number }>;
  /**
   * Graceful stop: no new connections or turns, in-flight turns finish (up to
   * `config.shutdownGraceMs`), then the scheduler, clients and store close.
   */
  close(): Promise<void>;
}

export interface AppDeps {
  logger: Logger;
  now?: () => Date;
}

/**
 * The composition root: builds the command registry, services, bot, adapter and HTTP server
 * from one config, and hands each its dependencies. Nothing below this reads the environment.
 */
export function createApp(config: AppConfig, deps: AppDeps): App {
  const { logger } = deps;
  const registry = new CommandRegistry<Services>(ALL_COMMANDS, ALL_CARD_ACTIONS, matchIntent);
  const metrics = createAppMetrics();
  const health = new UpstreamHealth();
  const pending = new PendingUpstreams();
  const { graph, jamf } = createUpstreamClients(config, {
    logger,
    observer: combineObservers(metrics.upstream, health.observer, pending.observer),
  });
  const connectorScope = cachedFor(5 * 60_000, () => loadConnectorScope(graph, config.connector.name));
  const store = openBotStore(config.store, logger);
  const refreshMs = config.inventory.refreshMinutes * 60_000;
  const inventory = new InventoryIndex({
    jamf,
    // A missed reload or two is tolerated; after that `check device` asks Jamf live again.
    maxAgeMs: refreshMs * 2 + 60_000,
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
  const services: Services = { config, registry, graph, jamf, connectorScope, store, inventory, notifier };
  const bot = new ComplianceBot<Services>({
    registry,
    services,
    access: configAccessPolicy(config, { graph, logger }),
    logger,
    now: deps.now,
    conversations: store,
    audit: store,
    welcomes: store,
    welcome: config.endUsers,
    rateLimit: config.rateLimit,
    deadlineMs: config.commandDeadlineMs,
    metrics,
    upstreams: pending,
  });
  const jobs = scheduledJobs(services, notifier, logger);
  // Who claimed a job's due time (several instances may share a PostgreSQL store).
  const instanceId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const scheduler = new Scheduler({
    logger,
    now: deps.now,
    claim: (job, dueAt) => store.claimJobRun(job, dueAt, instanceId),
  });
  for (const job of jobs.scheduled) scheduler.add(job);
  const turns = new InFlightTurns();
  const server = createServer({
    adapter,
    logic: (context) => bot.run(context),
    logger,
    maxBodyBytes: config.http.maxBodyBytes,
    turns,
    metrics,
    // From the outcomes of calls the bot made anyway: a probe never calls Graph or Jamf.
    ready: async () => {
      const checks = { graph: health.of('graph'), jamf: health.of('jamf') };
      const failing = Object.values(checks).includes('failing');
      return {
        ready: turns.accepting && !failing,
        checks: { bot: turns.accepting ? 'ok' : 'stopping', mode: config.mode, ...checks },
      };
    },
  });

  return {
    server,
    services,
    jobs,
    scheduler,
    metrics,
    health,
    listen: async () => {
      // A PostgreSQL store is migrated first: no traffic before the schema is current.
      await store.ready();
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.http.port, config.http.host, () => {
          const { port } = server.address() as AddressInfo;
          const host = config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host;
          resolve({ url: `http://${host}:${port}`, port });
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
      await scheduler.stop();
      jamf.close();
      await graph.close();
      await store.close();
    },
  };
}
