import type Database from 'better-sqlite3';
import { SQLITE_MIGRATIONS, type DialectMigration } from './migrations';
import { pendingMigrations } from './pendingMigrations';

/**
 * Brings a database up to the newest schema: each missing migration runs in its own
 * transaction together with its `schema_migrations` row, so a crash leaves no half-applied
 * version and running it again changes nothing. Returns the versions it applied.
 */
export function applySqliteMigrations(
  db: Database.Database,
  migrations: readonly DialectMigration[] = SQLITE_MIGRATIONS,
): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const applied = db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[];
  const done: number[] = [];
  for (const m of pendingMigrations(migrations, new Set(applied.map((r) => r.version)), 'DATABASE_PATH')) {
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
