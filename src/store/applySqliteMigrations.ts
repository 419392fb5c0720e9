import type Database from 'better-sqlite3';
import { SQLITE_MIGRATIONS } from './sqliteMigrations';

/**
 * Brings a database up to the newest schema: each missing migration runs in its own
 * transaction together with its `schema_migrations` row, so a crash leaves no half-applied
 * version and running it again changes nothing. Returns the versions it applied.
 */
export function applySqliteMigrations(
  db: Database.Database,
  migrations: readonly { version: number; name: string; sql: string }[] = SQLITE_MIGRATIONS,
): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
      (r) => r.version,
    ),
  );
  const newest = Math.max(0, ...applied);
  const known = Math.max(0, ...migrations.map((m) => m.version));
  if (newest > known) {
    throw new Error(
      `The database has schema version ${newest}, newer than this build knows (${known}): run a newer build or point DATABASE_PATH elsewhere.`,
    );
  }
  const done: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        new Date().toISOString(),
      );
    })();
    done.push(m.version);
  }
  return done;
}
