import { markdownLiteral } from '../compliance/markdownLiteral';
import { isStoreUnavailable } from '../errors';
import type { SetupCheck } from '../compliance/setupCheckTypes';
import { describeDatabaseUrl } from '../store/describeDatabaseUrl';
import { MIGRATIONS } from '../store/migrations';
import type { SetupCheckDeps } from './setupCheckDeps';

type Result = Omit<SetupCheck, 'id' | 'title'>;

/** The newest schema version this build knows. */
export const LATEST_SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

/**
 * The database reachable and at this build's newest schema version. The doctor reads it without
 * migrating (`openSchemaProbe`); a database the bot has not created or migrated yet is a warning
 * (the bot does both at start-up), one newer than this build a failure.
 */
export async function checkDatabase(deps: Pick<SetupCheckDeps, 'store' | 'config'>): Promise<Result> {
  const { databaseUrl, path } = deps.config.store;
  const where = markdownLiteral(
    databaseUrl ? `PostgreSQL (${describeDatabaseUrl(databaseUrl)})` : `SQLite (${path})`,
  );
  const setting = databaseUrl ? 'DATABASE_URL' : 'DATABASE_PATH';
  let version: number | null;
  try {
    await deps.store.ready();
    version = await deps.store.schemaVersion();
  } catch (e) {
    return {
      status: 'fail',
      detail: `${where} cannot be used: ${markdownLiteral(e instanceof Error ? e.message : String(e))}.`,
      fix: `Check ${setting}: the server or folder must be reachable and writable by the bot.`,
    };
  }
  if (version === null) {
    return {
      status: 'warn',
      detail: `${where} does not exist yet.`,
      fix: 'The bot creates and migrates it at its first start; check that the folder is on a local disk it may write.',
    };
  }
  if (version > LATEST_SCHEMA_VERSION) {
    return {
      status: 'fail',
      detail: `${where} is at schema version ${version}, newer than this build’s ${LATEST_SCHEMA_VERSION}.`,
      fix: `Run the build that migrated it, or point ${setting} at this build’s database.`,
    };
  }
  if (version < LATEST_SCHEMA_VERSION) {
    return {
      status: 'warn',
      detail: `${where} is at schema version ${version}; this build’s is ${LATEST_SCHEMA_VERSION}.`,
      fix: 'The bot migrates it at its next start with this build (several instances: one at a time, under a lock).',
    };
  }
  // In the running bot (`setup check`): reachable is not enough, it must take writes (issue 21).
  const unusable = await deps.store.probe?.().then(
    () => null,
    (e: unknown) => e,
  );
  if (unusable) {
    const reason = isStoreUnavailable(unusable) ? unusable.reason : null;
    return {
      status: 'fail',
      detail: `${where} is at schema version ${version} but cannot take writes now: ${markdownLiteral(
        unusable instanceof Error ? unusable.message : String(unusable),
      )}.`,
      fix:
        reason === 'full'
          ? 'Free space on its disk (or give the server or volume more).'
          : `Check ${setting}: the server must accept writes (not a standby), the file and its folder must be writable by the bot.`,
    };
  }
  return { status: 'pass', detail: `${where} is reachable, at schema version ${version}.` };
}
