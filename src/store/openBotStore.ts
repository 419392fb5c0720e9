import type { AppConfig } from '../config';
import type { Logger } from '../log';
import type { BotStore } from './botStore';
import { describeDatabaseUrl } from './describeDatabaseUrl';
import { PgBotStore } from './pgBotStore';
import { SqliteBotStore } from './sqliteBotStore';

/**
 * The one place that picks the store: PostgreSQL when `DATABASE_URL` is set (several instances
 * share it), else the embedded SQLite file at `DATABASE_PATH`. Synchronous: a PostgreSQL store
 * migrates in the background and `store.ready()` reports the outcome before the app listens.
 */
export function openBotStore(config: AppConfig['store'], logger: Logger): BotStore {
  if (config.databaseUrl) {
    logger.info(
      { database: describeDatabaseUrl(config.databaseUrl), poolMax: config.poolMax },
      'store: PostgreSQL (DATABASE_URL)',
    );
    return new PgBotStore({
      connectionString: config.databaseUrl,
      maxConnections: config.poolMax,
      logger: logger.child({ component: 'store' }),
    });
  }
  logger.info({ path: config.path }, 'store: SQLite (DATABASE_PATH)');
  return SqliteBotStore.open(config.path);
}
