import dotenv from 'dotenv';
import { createApp } from './app';
import { configSecrets, loadConfig, type AppConfig } from './config';
import { ConfigError } from './errors';
import { createLogger } from './log';
import { adminAccessWarning } from './teams/accessPolicy';
import { startDemoTenant, type DemoTenant } from './demo/startDemoTenant';
import { startPlayground, type Playground } from './demo/startPlayground';
import { startConnectorSimulator, type ConnectorSimulator } from './demo/connectorSimulator';

/** Starts the process: config → app → listen (→ demo tenant and Playground); Ctrl-C stops it all. */
async function main(): Promise<void> {
  dotenv.config({ quiet: true });
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`${e.message}\n\nSee .env.example for every setting.`);
      process.exit(1);
    }
    throw e;
  }
  // Filled from the final config below (the demo tenant's secrets exist only once it started).
  const secrets = new Set<string>(configSecrets(config));
  const logger = createLogger({ level: config.log.level, secrets: () => secrets });
  let demo: DemoTenant | null = null;
  let inbox: ConnectorSimulator | null = null;
  if (config.mode === 'demo') {
    demo = await startDemoTenant({
      size: config.demo.fleetSize,
      seed: config.demo.seed,
      scenarios: config.demo.scenarios,
    });
    config = demo.configure(config);
    for (const s of configSecrets(config)) secrets.add(s);
    // Reminders to demo users who never chatted go to a Bot Connector stand-in whose inbox page
    // shows what each of them received (the Playground only shows its own user's chat).
    const names = new Map(
      demo.fleet.graph.users.map((u) => [u.id, `${u.displayName} (${u.userPrincipalName})`]),
    );
    inbox = await startConnectorSimulator({
      inboxPage: { names: (id) => names.get(id) ?? null },
      appInstalls: demo.teamsApps,
    });
    config = { ...config, broadcast: { ...config.broadcast, serviceUrl: inbox.serviceUrl } };
    logger.info(
      { url: `${inbox.serviceUrl}demo/inbox` },
      `demo inbox (what reminded users received): ${inbox.serviceUrl}demo/inbox`,
    );
    logger.info(
      { macs: demo.fleet.jamf.computers.length, jamf: demo.jamf.url, graph: demo.graph.url },
      'demo tenant: Jamf Pro and Microsoft Graph simulators started',
    );
  }
  const app = createApp(config, { logger });
  const { url } = await app.listen();
  logger.info({ url, mode: config.mode }, `bot listening on ${url}/api/messages`);
  app.scheduler.start();
  logger.info(
    {
      connectorCheckMinutes: config.alerts.connectorCheckMinutes,
      snapshotHourUtc: config.rollout.snapshotHourUtc,
    },
    'scheduler started: connector check and daily rollout snapshot',
  );
  if (config.bot.localMode) {
    logger.warn(
      'local mode: MICROSOFT_APP_ID is not set, so Bot Framework tokens are NOT checked; listening on 127.0.0.1 only',
    );
  }

  const noAdmins = adminAccessWarning(config);
  if (noAdmins) logger.warn(`default deny: ${noAdmins}`);

  let playground: Playground | null = null;
  if (config.playground.enabled) {
    playground = await startPlayground({
      botEndpoint: `${url}/api/messages`,
      port: config.playground.port,
      logger,
    });
    logger.info(
      { url: playground.url },
      `Agents Playground ready: open ${playground.url} to chat with the bot`,
    );
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, graceMs: config.shutdownGraceMs }, 'shutting down: finishing the turns in flight');
    await Promise.allSettled([playground?.stop(), app.close()]);
    await demo?.close();
    await inbox?.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((e: unknown) => {
  console.error('The bot could not start:', e instanceof Error ? e.message : e);
  process.exit(1);
});
