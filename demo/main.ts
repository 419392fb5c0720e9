import dotenv from 'dotenv';
import { configSecrets } from '../src/config';
import { configOrExit } from '../src/configOrExit';
import { createLogger } from '../src/log';
import { startBot } from '../src/startBot';
import { stopOnSignals } from '../src/stopOnSignals';
import { loadDemoConfig } from './loadDemoConfig';
import { startDemoSimulators } from './startDemoSimulators';
import { startPlayground, type Playground } from './startPlayground';

/**
 * `npm start` and `npm run dev`: without tenant credentials (the rule of `loadConfig`'s `mode`)
 * the demo tenant's simulators first, then the bot through the production start path
 * (`startBot`) — the demo Jamf Pro's webhooks then point at it — then the Agents Playground
 * (PLAYGROUND); with credentials, the real tenant.
 * Ctrl-C stops it all.
 */
async function main(): Promise<void> {
  dotenv.config({ quiet: true });
  const { config: loaded, demo } = configOrExit(() => loadDemoConfig(process.env));
  // Filled from the final config below (the demo tenant's secrets exist only once it started).
  const secrets = new Set<string>(configSecrets(loaded));
  const logger = createLogger({ level: loaded.log.level, format: loaded.log.format, secrets: () => secrets });
  const simulators = loaded.mode === 'demo' ? await startDemoSimulators(loaded, demo, logger) : null;
  for (const s of simulators?.secrets ?? []) secrets.add(s);
  const config = simulators?.config ?? loaded;

  const bot = await startBot(config, { logger });
  let playground: Playground | null = null;
  // Before the rest of the start-up: the bot already takes turns, and a stop now must drain them.
  stopOnSignals(logger, config.shutdownGraceMs, async () => {
    const stopped = await Promise.allSettled([playground?.stop(), bot.close()]);
    await simulators?.close();
    for (const r of stopped) if (r.status === 'rejected') throw r.reason;
  });
  await simulators?.botStarted(bot);
  if (demo.playground.enabled) {
    playground = await startPlayground({
      botEndpoint: `${bot.url}/api/messages`,
      port: demo.playground.port,
      logger,
    });
    logger.info(
      { url: playground.url },
      `Agents Playground ready: open ${playground.url} to chat with the bot`,
    );
  }
}

main().catch((e: unknown) => {
  console.error('The bot could not start:', e instanceof Error ? e.message : e);
  process.exit(1);
});
