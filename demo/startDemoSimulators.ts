import { configSecrets, type AppConfig } from '../src/config';
import type { Logger } from '../src/log';
import { startConnectorSimulator } from './connectorSimulator';
import type { DemoSettings } from './loadDemoSettings';
import { startDemoTenant } from './startDemoTenant';
import { withDemoServiceUrl } from './withDemoServiceUrl';

export interface DemoSimulators {
  /** The config pointed at the simulators, with this run's throw-away credentials. */
  config: AppConfig;
  /** The secrets the simulators added to the config, for the logger to blank. */
  secrets: string[];
  close(): Promise<void>;
}

/**
 * The demo tenant (Jamf Pro and Graph simulators over HTTPS, with their own CA) and a Bot
 * Connector stand-in for reminders, with the bot's config pointed at them.
 */
export async function startDemoSimulators(
  base: AppConfig,
  fleet: DemoSettings['fleet'],
  logger: Logger,
): Promise<DemoSimulators> {
  const demo = await startDemoTenant(fleet);
  let config = demo.configure(base);
  // Reminders to demo users who never chatted go to a Bot Connector stand-in whose inbox page
  // shows what each of them received (the Playground only shows its own user's chat) — unless
  // BOT_SERVICE_URL is set explicitly, which wins. The stand-in is as strict as Teams: the demo's
  // tenant, its users' 1:1s (either id), no token asked for (the demo bot has no credentials).
  const names = new Map(
    demo.fleet.graph.users.map((u) => [u.id.toLowerCase(), `${u.displayName} (${u.userPrincipalName})`]),
  );
  const inbox = await startConnectorSimulator({
    inboxPage: { names: (id) => names.get(id.toLowerCase()) ?? null },
    appInstalls: demo.teamsApps,
    tenantId: demo.fleet.tenantId,
    botAppId: demo.teamsApps.botAppId,
  });
  const serviceUrl = withDemoServiceUrl(config, inbox.serviceUrl);
  config = serviceUrl.config;
  logger.info({ serviceUrl: config.broadcast.serviceUrl, used: serviceUrl.used }, serviceUrl.note);
  if (serviceUrl.used === 'stand-in') {
    logger.info(
      { url: `${inbox.serviceUrl}demo/inbox` },
      `demo inbox (what reminded users received): ${inbox.serviceUrl}demo/inbox`,
    );
  }
  logger.info(
    { macs: demo.fleet.jamf.computers.length, jamf: demo.jamf.url, graph: demo.graph.url },
    'demo tenant: Jamf Pro and Microsoft Graph simulators started',
  );
  return {
    config,
    secrets: configSecrets(config),
    close: async () => {
      await demo.close();
      await inbox.close();
    },
  };
}
