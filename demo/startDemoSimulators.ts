import { configSecrets, type AppConfig } from '../src/config';
import type { Logger } from '../src/log';
import { startConnectorSimulator } from './connectorSimulator';
import type { DemoSettings } from './loadDemoSettings';
import { startDemoTenant } from './startDemoTenant';

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
  // shows what each of them received (the Playground only shows its own user's chat).
  const names = new Map(
    demo.fleet.graph.users.map((u) => [u.id, `${u.displayName} (${u.userPrincipalName})`]),
  );
  const inbox = await startConnectorSimulator({
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
  return {
    config,
    secrets: configSecrets(config),
    close: async () => {
      await demo.close();
      await inbox.close();
    },
  };
}
