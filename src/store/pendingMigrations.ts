import type { DialectMigration } from './migrations';

/**
 * The migrations a database still needs, oldest first, given the versions it has applied.
 * Refuses a database whose schema is newer than this build knows (`setting` names where the
 * database is configured, for the message): running old code on it could corrupt it.
 */
export function pendingMigrations(
  migrations: readonly DialectMigration[],
  applied: ReadonlySet<number>,
  setting: 'DATABASE_PATH' | 'DATABASE_URL',
): DialectMigration[] {
  const newest = Math.max(0, ...applied);
  const known = Math.max(0, ...migrations.map((m) => m.version));
  if (newest > known) {
    throw new Error(
      `The database has schema version ${newest}, newer than this build knows (${known}): run a newer build or point ${setting} elsewhere.`,
    );
  }
  return [...migrations].sort((a, b) => a.version - b.version).filter((m) => !applied.has(m.version));
}
