import { markdownLiteral } from '../compliance/markdownLiteral';
import type { SetupCheck } from '../compliance/setupCheckTypes';
import { describeDatabaseUrl } from '../store/describeDatabaseUrl';
import { MIGRATIONS } from '../store/migrations';
import type { SetupCheckDeps } from './setupCheckDeps';

type Result = Omit<SetupCheck, 'id' | 'title'>;

/** The newest schema version this build knows. */
export const LATEST_SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

/** The store reachable (`ready()`: opened and migrated) and at this build's newest schema version. */
export async function checkDatabase(deps: Pick<SetupCheckDeps, 'store' | 'config'>): Promise<Result> {
  const { databaseUrl, path } = deps.config.store;
  const where = markdownLiteral(
    databaseUrl ? `PostgreSQL (${describeDatabaseUrl(databaseUrl)})` : `SQLite (${path})`,
  );
  const setting = databaseUrl ? 'DATABASE_URL' : 'DATABASE_PATH';
  try {
    await deps.store.ready();
  } catch (e) {
    return {
      status: 'fail',
      detail: `${where} cannot be used: ${markdownLiteral(e instanceof Error ? e.message : String(e))}.`,
      fix: `Check ${setting}: the server or folder must be reachable and writable by the bot.`,
    };
  }
  const version = await deps.store.schemaVersion();
  if (version !== LATEST_SCHEMA_VERSION) {
    return {
      status: 'fail',
      detail: `${where} is at schema version ${version}; this build’s is ${LATEST_SCHEMA_VERSION}.`,
      fix: 'Start the bot once with this build (it migrates at start-up), or point the setting at the right database.',
    };
  }
  return { status: 'pass', detail: `${where} is reachable, at schema version ${version}.` };
}
