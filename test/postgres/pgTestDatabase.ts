import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { PgBotStore, type PgBotStoreOptions } from '../../src/store/pgBotStore';

/**
 * The PostgreSQL server the `test:postgres` project runs against. There is no skipping: without
 * `TEST_DATABASE_URL` every suite fails, so a CI run without a server cannot pass by accident.
 */
export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url)
    throw new Error(
      'TEST_DATABASE_URL is not set. Run `scripts/with-postgres.sh npm run test:postgres` (a throw-away local server), or set it to a database where the tests may create schemas.',
    );
  return url;
}

/** A new, empty schema of its own: each test's store starts from nothing, as on a fresh database. */
export async function freshSchema(prefix = 't'): Promise<string> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await withAdmin((pool) => pool.query(`CREATE SCHEMA ${name}`));
  return name;
}

/** A new, empty database on the test server; `drop` removes it (ending any connection left). */
export async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `bot_${randomBytes(6).toString('hex')}`;
  await withAdmin((pool) => pool.query(`CREATE DATABASE ${name}`));
  const url = new URL(testDatabaseUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => void (await withAdmin((pool) => pool.query(`DROP DATABASE ${name} WITH (FORCE)`))),
  };
}

/** Runs something on a short-lived pool outside any store (raw SQL, setup). */
export async function withAdmin<T>(fn: (pool: Pool) => Promise<T>, schema?: string): Promise<T> {
  const pool = new Pool({
    connectionString: testDatabaseUrl(),
    max: 2,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  try {
    return await fn(pool);
  } finally {
    await pool.end();
  }
}

/** A migrated store in a schema (a fresh one unless given). */
export async function openTestStore(
  opts: Partial<PgBotStoreOptions> & { schema?: string } = {},
): Promise<PgBotStore> {
  const schema = opts.schema ?? (await freshSchema());
  return PgBotStore.open({ connectionString: testDatabaseUrl(), maxConnections: 4, ...opts, schema });
}
