import { statfs as nodeStatfs } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { StatFsResult } from './setupCheckDeps';
import { markdownLiteral } from '../compliance/markdownLiteral';
import type { SetupCheck } from '../compliance/setupCheckTypes';
import type { SetupCheckDeps } from './setupCheckDeps';

type Result = Omit<SetupCheck, 'id' | 'title'>;

/** `statfs` magic numbers of network file systems SQLite's locking (WAL) is unreliable on. */
export const NETWORK_FILE_SYSTEMS: Readonly<Record<number, string>> = {
  0xfe534d42: 'SMB2/3',
  0xff534d42: 'CIFS',
  0x517b: 'SMB',
  0x6969: 'NFS',
};

/**
 * SQLite's folder on a network file system (App Service's /home and Azure Files are SMB): WAL
 * mode needs shared memory and byte-range locks those do not give reliably, so the bot can lock
 * up or corrupt the file. A warning, since it may work for a while.
 */
export async function checkDatabaseFileSystem(
  deps: Pick<SetupCheckDeps, 'config' | 'statfs'>,
): Promise<Result> {
  const { databaseUrl, path } = deps.config.store;
  if (databaseUrl) return { status: 'skip', detail: 'PostgreSQL (DATABASE_URL): no SQLite file.' };
  if (path === ':memory:' || path === '') return { status: 'skip', detail: 'SQLite in memory: no file.' };
  const { folder, stat } = await nearestFolder(dirname(resolve(path)), deps.statfs ?? nodeStatfs);
  const kind = NETWORK_FILE_SYSTEMS[stat.type];
  if (kind) {
    return {
      status: 'warn',
      detail: `DATABASE_PATH’s folder (${markdownLiteral(folder)}) is on a network file system (${kind}); SQLite’s locking is unreliable there, and the bot can hang or corrupt its database.`,
      fix: 'Use PostgreSQL (DATABASE_URL, e.g. Azure Database for PostgreSQL flexible server), or put DATABASE_PATH on a local disk.',
    };
  }
  return {
    status: 'pass',
    detail: `SQLite’s folder (${markdownLiteral(folder)}) is on a local file system.`,
  };
}

/** The folder's file system, or its nearest existing parent's (the folder may not exist before the bot's first start). */
async function nearestFolder(
  folder: string,
  statfs: (p: string) => Promise<StatFsResult>,
): Promise<{ folder: string; stat: StatFsResult }> {
  for (let f = folder; ; f = dirname(f)) {
    const stat = await statfs(f).catch((e: unknown) => {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' && dirname(f) !== f) return null;
      throw e;
    });
    if (stat) return { folder: f, stat };
  }
}
