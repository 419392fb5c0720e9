import type { Pool } from 'pg';
import { PG_MIGRATIONS, type DialectMigration } from './migrations';
import { pendingMigrations } from './pendingMigrations';

/**
 * The advisory lock every instance takes before migrating (one 64-bit key for this app, in any
 * schema of the database). Two instances that start at once would otherwise both see version N
 * missing and both run it — the second failing on "relation already exists", or worse.
 */
export const MIGRATION_LOCK_KEY = '7418032616950871001';

/**
 * Brings a PostgreSQL database up to the newest schema. Holds a session-level advisory lock
 * (`pg_advisory_lock`) on one connection for the whole run, so concurrent instances queue and
 * each later one finds the work done; each missing migration runs in its own transaction with
 * its `schema_migrations` row, so a crash leaves no half-applied version (and a crashed
 * session's lock is released by the server). Refuses a database whose schema is newer than
 * this build. Returns the versions it applied.
 */
export async function applyPgMigrations(
  pool: Pool,
  migrations: readonly DialectMigration[] = PG_MIGRATIONS,
): Promise<number[]> {
  const client = await pool.connect();
  // On any failure the connection is destroyed rather than pooled: that also drops the lock.
  let failed = false;
  try {
    await client.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      const applied = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
      const done: number[] = [];
      const pending = pendingMigrations(
        migrations,
        new Set(applied.rows.map((r) => r.version)),
        'DATABASE_URL',
      );
      for (const m of pending) {
        await client.query('BEGIN');
        try {
          await client.query(m.sql);
          await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
            m.version,
            m.name,
          ]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw new Error(
            `PostgreSQL migration ${m.version} (${m.name}) failed: ${err instanceof Error ? err.message : String(err)}`,
            { cause: err },
          );
        }
        done.push(m.version);
      }
      return done;
    } finally {
      await client
        .query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY])
        .catch(() => void (failed = true));
    }
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    client.release(failed);
  }
}
