import dotenv from 'dotenv';
import { configOrExit } from './configOrExit';
import { configSecrets, loadConfig } from './config';
import { ConfigError } from './errors';
import { createLogger } from './log';
import { startBot } from './startBot';
import { stopOnSignals } from './stopOnSignals';

/** Without tenant credentials there is nothing to talk to: the demo tenant is `npm start` (demo/main.ts), not part of the build. */
const NO_TENANT =
  'No tenant credentials: set TENANT_ID, GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET (or GRAPH_AUTH for a managed identity or a certificate), JAMF_URL, JAMF_CLIENT_ID and JAMF_CLIENT_SECRET in .env (or the environment), or run `npm start` for the demo tenant';

/** The production entry (`npm run start:prod`): config → app → listen; SIGTERM or Ctrl-C stops it gracefully. */
async function main(): Promise<void> {
  dotenv.config({ quiet: true });
  const config = configOrExit(() => {
    const c = loadConfig(process.env);
    if (c.mode === 'demo') throw new ConfigError([NO_TENANT]);
    return c;
  });
  const secrets = configSecrets(config);
  const logger = createLogger({ level: config.log.level, secrets: () => secrets });
  const bot = await startBot(config, { logger });
  stopOnSignals(logger, config.shutdownGraceMs, () => bot.close());
}

main().catch((e: unknown) => {
  console.error('The bot could not start:', e instanceof Error ? e.message : e);
  process.exit(1);
});
