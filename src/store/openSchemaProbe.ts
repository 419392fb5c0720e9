import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import type { AppConfig } from '../config';

/** What the setup doctor learns of the database without changing it. */
export interface SchemaProbe {
  /**
   * The newest migration applied, 0 when the schema was never created, or null when there is no
   * database yet (a SQLite file the bot has not created). Throws when the database cannot be
   * opened or reached.
   */
  schemaVersion(): Promise<number | null>;
}

/**
 * Reads the schema version the way the bot would find it, but read-only: the bot migrates at
 * start-up, the doctor never does (a pipeline may run a new image's doctor while the old revision
 * still serves on the old schema).
 */
export function openSchemaProbe(config: AppConfig['store']): SchemaProbe {
  return {
    async schemaVersion() {
      if (config.databaseUrl) return pgSchemaVersion(config.databaseUrl);
      if (config.path === ':memory:') return null;
      if (!existsSync(config.path)) return null;
      const db = new Database(config.path, { readonly: true, fileMustExist: true });
      try {
        const table = db
          .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
          .get();
        if (!table) return 0;
        const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as {
          v: number | null;
        };
        return row.v ?? 0;
      } finally {
        db.close();
      }
    },
  };
}

async function pgSchemaVersion(connectionString: string): Promise<number> {
  const client = new Client({ connectionString, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    const { rows: table } = await client.query<{ t: string | null }>(
      "SELECT to_regclass('schema_migrations')::text AS t",
    );
    if (!table[0]?.t) return 0;
    const { rows } = await client.query<{ v: number | null }>(
      'SELECT MAX(version) AS v FROM schema_migrations',
    );
    return Number(rows[0]?.v ?? 0);
  } finally {
    await client.end();
  }
}
