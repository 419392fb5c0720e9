import type { AppConfig } from '../config';
import { StoreUnavailableError, type StoreUnavailableReason } from '../errors';
import type { Logger } from '../log';
import { toStoreError } from './guardStore';
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
  try {
    return SqliteBotStore.open(config.path);
  } catch (err) {
    throw sqliteOpenError(err, config.path);
  }
}

/**
 * A SQLite file the bot cannot open or migrate at start-up: the bot stops once with what to fix
 * (src/main.ts prints the message), since even reads need a writable folder in WAL mode.
 */
function sqliteOpenError(err: unknown, file: string): unknown {
  const e = toStoreError(err, `SQLite file ${file}`);
  if (!(e instanceof StoreUnavailableError)) return e;
  const fix: Record<StoreUnavailableReason, string> = {
    read_only:
      'make the file and its folder writable by the user the bot runs as (SQLite writes a -wal and a -shm file beside it), or set DATABASE_PATH to a writable place',
    full: 'free space on its disk (or give the volume more), then start the bot again',
    unreachable: 'check that DATABASE_PATH points at a local disk the bot can read and write',
  };
  return new StoreUnavailableError(e.reason, `${e.message} — ${fix[e.reason]}.`, { cause: err });
}
