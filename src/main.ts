import dotenv from 'dotenv';
import { tenantConfigOrExit } from './configOrExit';
import { configSecrets } from './config';
import { createLogger } from './log';
import { startBot } from './startBot';
import { stopOnSignals } from './stopOnSignals';

/** The production entry (`npm run start:prod`): config → app → listen; SIGTERM or Ctrl-C stops it gracefully. */
async function main(): Promise<void> {
  dotenv.config({ quiet: true });
  const config = tenantConfigOrExit(process.env);
  const secrets = configSecrets(config);
  const logger = createLogger({ level: config.log.level, format: config.log.format, secrets: () => secrets });
  const bot = await startBot(config, { logger });
  stopOnSignals(logger, config.shutdownGraceMs, () => bot.close());
}

main().catch((e: unknown) => {
  console.error('The bot could not start:', e instanceof Error ? e.message : e);
  process.exit(1);
});
