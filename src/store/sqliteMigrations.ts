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
  {
    version: 2,
    name: 'audit log',
    sql: `
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor_teams_id TEXT NOT NULL,
        actor_aad_object_id TEXT,
        actor_name TEXT,
        action TEXT NOT NULL,
        target TEXT,
        outcome TEXT NOT NULL,
        details TEXT NOT NULL
      );
      CREATE INDEX audit_log_action ON audit_log (action, id);
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    `,
  },
  {
    version: 3,
    name: 'onboarding plans',
    sql: `
      CREATE TABLE onboarding_plans (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        actor_teams_id TEXT NOT NULL,
        actor_aad_object_id TEXT,
        actor_name TEXT,
        target TEXT NOT NULL,
        plan TEXT NOT NULL,
        status TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX onboarding_plans_created_at ON onboarding_plans (created_at);
    `,
  },
  {
    version: 4,
    name: 'end-user welcomes and escalations to IT',
    sql: `
      CREATE TABLE user_welcomes (
        user_key TEXT PRIMARY KEY,
        welcomed_at TEXT NOT NULL
      );
      CREATE TABLE escalations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_key TEXT NOT NULL,
        day TEXT NOT NULL,
        status TEXT NOT NULL,
        created_at TEXT NOT NULL,
        user_name TEXT,
        user_upn TEXT,
        conversation_id TEXT,
        activity_id TEXT
      );
      CREATE UNIQUE INDEX escalations_one_open_per_day ON escalations (user_key, day) WHERE status = 'open';
    `,
  },
  {
    version: 5,
    name: 'reminder campaigns: campaigns, outbox, reminder history, schedules',
    sql: `
      CREATE TABLE campaigns (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        audience TEXT NOT NULL,
        group_name TEXT,
        deadline TEXT,
        state TEXT NOT NULL,
        schedule_id TEXT,
        progress_conversation_id TEXT,
        progress_activity_id TEXT,
        updated_at TEXT NOT NULL,
        finished_at TEXT
      );
      CREATE INDEX campaigns_state ON campaigns (state, created_at);
      CREATE TABLE campaign_outbox (
        campaign_id TEXT NOT NULL REFERENCES campaigns (id),
        recipient_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        recipient TEXT NOT NULL,
        state TEXT NOT NULL,
        reason TEXT,
        detail TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        throttles INTEGER NOT NULL DEFAULT 0,
        not_before TEXT,
        lease_owner TEXT,
        lease_until TEXT,
        conversation_id TEXT,
        activity_id TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (campaign_id, recipient_id)
      );
      CREATE INDEX campaign_outbox_state ON campaign_outbox (state, campaign_id, seq);
      CREATE INDEX campaign_outbox_campaign_seq ON campaign_outbox (campaign_id, seq);
      CREATE TABLE reminder_history (
        recipient_id TEXT NOT NULL,
        campaign_id TEXT NOT NULL,
        reminded_at TEXT NOT NULL,
        PRIMARY KEY (recipient_id, campaign_id)
      );
      CREATE INDEX reminder_history_recent ON reminder_history (recipient_id, reminded_at);
      CREATE TABLE campaign_schedules (
        id TEXT PRIMARY KEY,
        cron TEXT NOT NULL,
        time_zone TEXT NOT NULL,
        audience TEXT NOT NULL,
        group_name TEXT,
        deadline_days INTEGER,
        conversation_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL
      );
    `,
  },
  {
    version: 6,
    name: 'scheduled job runs: one instance claims each due time',
    sql: `
      CREATE TABLE job_runs (
        job TEXT NOT NULL,
        due_at TEXT NOT NULL,
        instance_id TEXT NOT NULL,
        claimed_at TEXT NOT NULL,
        PRIMARY KEY (job, due_at)
      );
    `,
  },
  {
    // Used on PostgreSQL only (several instances share one pacer there; a single SQLite instance
    // paces in process). Created here too so both stores have the same schema at each version.
    version: 7,
    name: 'shared send pacing: one Teams ceiling across instances',
    sql: `
      CREATE TABLE send_rate (
        key TEXT PRIMARY KEY,
        next_at TEXT NOT NULL
      );
    `,
  },
];
