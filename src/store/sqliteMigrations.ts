/**
 * The SQLite schema, one migration per version, applied in order at open. Never edit a released
 * migration: add the next one (an applied version is recorded in `schema_migrations`).
 */
export const SQLITE_MIGRATIONS: { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'rollout snapshots, alert state, conversation references',
    sql: `
      CREATE TABLE rollout_snapshots (
        day TEXT PRIMARY KEY,
        taken_at TEXT NOT NULL,
        total INTEGER NOT NULL,
        applicable INTEGER NOT NULL,
        by_verdict TEXT NOT NULL,
        percent_compliant REAL NOT NULL,
        top_reasons TEXT NOT NULL
      );
      CREATE TABLE alert_state (
        key TEXT PRIMARY KEY,
        healthy INTEGER NOT NULL,
        problems TEXT NOT NULL,
        since TEXT NOT NULL,
        checked_at TEXT NOT NULL,
        alert_conversation_id TEXT,
        alert_activity_id TEXT,
        alerted_at TEXT
      );
      CREATE TABLE conversations (
        conversation_id TEXT PRIMARY KEY,
        scope TEXT NOT NULL,
        tenant_id TEXT,
        team_id TEXT,
        aad_object_id TEXT,
        reference TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL
      );
      CREATE INDEX conversations_scope_first_seen ON conversations (scope, first_seen);
      CREATE INDEX conversations_aad_object_id ON conversations (aad_object_id);
    `,
  },
];
