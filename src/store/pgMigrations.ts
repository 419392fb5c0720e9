/**
 * The PostgreSQL schema, one migration per version, applied in order at start-up by
 * `applyPgMigrations`. A feature uses the **same version number** as its SQLite migration
 * (`sqliteMigrations.ts`), so both stores describe the same schema at the same version; a test
 * checks the two lists name the same versions. Never edit a released migration: add the next one.
 *
 * Types are PostgreSQL's own (timestamptz, boolean, jsonb), not SQLite's text: instants come back
 * as ISO strings with milliseconds, which is what the bot writes. Opaque blobs written once and
 * read whole (conversation references, audit details) are `json`, which keeps the text as given.
 */
export const PG_MIGRATIONS: { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'rollout snapshots, alert state, conversation references',
    sql: `
      CREATE TABLE rollout_snapshots (
        day date PRIMARY KEY,
        taken_at timestamptz NOT NULL,
        total integer NOT NULL,
        applicable integer NOT NULL,
        by_verdict jsonb NOT NULL,
        percent_compliant double precision NOT NULL,
        top_reasons jsonb NOT NULL
      );
      CREATE TABLE alert_state (
        key text PRIMARY KEY,
        healthy boolean NOT NULL,
        problems jsonb NOT NULL,
        since timestamptz NOT NULL,
        checked_at timestamptz NOT NULL,
        alert_conversation_id text,
        alert_activity_id text,
        alerted_at timestamptz
      );
      CREATE TABLE conversations (
        conversation_id text PRIMARY KEY,
        scope text NOT NULL CHECK (scope IN ('personal', 'channel', 'groupChat')),
        tenant_id text,
        team_id text,
        aad_object_id text,
        reference json NOT NULL,
        first_seen timestamptz NOT NULL,
        last_seen timestamptz NOT NULL
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
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL,
        actor_teams_id text NOT NULL,
        actor_aad_object_id text,
        actor_name text,
        action text NOT NULL,
        target text,
        outcome text NOT NULL,
        details json NOT NULL
      );
      CREATE INDEX audit_log_action ON audit_log (action, id);
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'insufficient_privilege';
        END;
      $$;
      CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
    `,
  },
  {
    version: 3,
    name: 'onboarding plans',
    sql: `
      CREATE TABLE onboarding_plans (
        id text PRIMARY KEY,
        created_at timestamptz NOT NULL,
        actor_teams_id text NOT NULL,
        actor_aad_object_id text,
        actor_name text,
        target text NOT NULL,
        plan json NOT NULL,
        status text NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE INDEX onboarding_plans_created_at ON onboarding_plans (created_at);
    `,
  },
  {
    version: 4,
    name: 'end-user welcomes and escalations to IT',
    sql: `
      CREATE TABLE user_welcomes (
        user_key text PRIMARY KEY,
        welcomed_at timestamptz NOT NULL
      );
      CREATE TABLE escalations (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_key text NOT NULL,
        day text NOT NULL,
        status text NOT NULL,
        created_at timestamptz NOT NULL,
        user_name text,
        user_upn text,
        conversation_id text,
        activity_id text
      );
      CREATE UNIQUE INDEX escalations_one_open_per_day ON escalations (user_key, day) WHERE status = 'open';
    `,
  },
  {
    // Added after version 6 on databases that already had it: missing versions are applied in
    // order, and nothing in 6 depends on 5.
    version: 5,
    name: 'reminder campaigns: campaigns, outbox, reminder history, schedules',
    sql: `
      CREATE TABLE campaigns (
        id text PRIMARY KEY,
        created_at timestamptz NOT NULL,
        created_by json NOT NULL,
        audience text NOT NULL,
        group_name text,
        deadline text,
        state text NOT NULL,
        schedule_id text,
        progress_conversation_id text,
        progress_activity_id text,
        updated_at timestamptz NOT NULL,
        finished_at timestamptz
      );
      CREATE INDEX campaigns_state ON campaigns (state, created_at);
      CREATE TABLE campaign_outbox (
        campaign_id text NOT NULL REFERENCES campaigns (id),
        recipient_id text NOT NULL,
        seq integer NOT NULL,
        recipient json NOT NULL,
        state text NOT NULL,
        reason text,
        detail text,
        attempts integer NOT NULL DEFAULT 0,
        throttles integer NOT NULL DEFAULT 0,
        not_before timestamptz,
        lease_owner text,
        lease_until timestamptz,
        conversation_id text,
        activity_id text,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (campaign_id, recipient_id)
      );
      CREATE INDEX campaign_outbox_state ON campaign_outbox (state, campaign_id, seq);
      CREATE INDEX campaign_outbox_campaign_seq ON campaign_outbox (campaign_id, seq);
      CREATE TABLE reminder_history (
        recipient_id text NOT NULL,
        campaign_id text NOT NULL,
        reminded_at timestamptz NOT NULL,
        PRIMARY KEY (recipient_id, campaign_id)
      );
      CREATE INDEX reminder_history_recent ON reminder_history (recipient_id, reminded_at);
      CREATE TABLE campaign_schedules (
        id text PRIMARY KEY,
        cron text NOT NULL,
        time_zone text NOT NULL,
        audience text NOT NULL,
        group_name text,
        deadline_days integer,
        conversation_id text NOT NULL,
        created_at timestamptz NOT NULL,
        created_by json NOT NULL
      );
    `,
  },
  {
    version: 6,
    name: 'scheduled job runs: one instance claims each due time',
    sql: `
      CREATE TABLE job_runs (
        job text NOT NULL,
        due_at timestamptz NOT NULL,
        instance_id text NOT NULL,
        claimed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (job, due_at)
      );
    `,
  },
  {
    version: 7,
    name: 'shared send pacing: one Teams ceiling across instances',
    sql: `
      CREATE TABLE send_rate (
        key text PRIMARY KEY,
        next_at timestamptz NOT NULL
      );
    `,
  },
];
