/**
 * The schema, one migration per version, each written once per dialect: a feature has the
 * **same version number and name** on SQLite and PostgreSQL, so both stores describe the same
 * schema at the same version. Applied in order at open (`applySqliteMigrations`,
 * `applyPgMigrations`); an applied version is recorded in `schema_migrations`. Never edit a
 * released migration (its SQL included): add the next one.
 *
 * PostgreSQL's types are its own (timestamptz, boolean, jsonb), not SQLite's text: instants come
 * back as ISO strings with milliseconds, which is what the bot writes. Opaque blobs written once
 * and read whole (conversation references, audit details) are `json`, which keeps the text as given.
 */
export interface Migration {
  version: number;
  name: string;
  sqlite: string;
  postgres: string;
}

/** One dialect's migration, as an applier runs it. */
export interface DialectMigration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'rollout snapshots, alert state, conversation references',
    sqlite: `
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
    postgres: `
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
    sqlite: `
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
    postgres: `
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
    sqlite: `
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
    postgres: `
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
    sqlite: `
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
    postgres: `
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
    // PostgreSQL: added after version 6 on databases that already had it; missing versions are
    // applied in order, and nothing in 6 depends on 5.
    version: 5,
    name: 'reminder campaigns: campaigns, outbox, reminder history, schedules',
    sqlite: `
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
    postgres: `
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
    sqlite: `
      CREATE TABLE job_runs (
        job TEXT NOT NULL,
        due_at TEXT NOT NULL,
        instance_id TEXT NOT NULL,
        claimed_at TEXT NOT NULL,
        PRIMARY KEY (job, due_at)
      );
    `,
    postgres: `
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
    // Used on PostgreSQL only (several instances share one pacer there; a single SQLite instance
    // paces in process). Created in SQLite too so both stores have the same schema at each version.
    version: 7,
    name: 'shared send pacing: one Teams ceiling across instances',
    sqlite: `
      CREATE TABLE send_rate (
        key TEXT PRIMARY KEY,
        next_at TEXT NOT NULL
      );
    `,
    postgres: `
      CREATE TABLE send_rate (
        key text PRIMARY KEY,
        next_at timestamptz NOT NULL
      );
    `,
  },
  {
    // The fleet snapshot (src/store/ports/fleetSnapshotStore.ts). Bodies are JSON text (PostgreSQL
    // `json`: kept as written, parsed once on read). A removed Mac stays as a tombstone
    // (`removed`, its version bumped) until the next full publish, so a reader can ask for the
    // changes since its version. `fleet_meta` and `fleet_build` hold one row each (id = 1).
    version: 8,
    name: 'fleet snapshot: published Macs, sources, staging, build state, sync lease',
    sqlite: `
      CREATE TABLE fleet_sources (
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (kind, id)
      );
      CREATE TABLE fleet_staging (
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (kind, id)
      );
      CREATE TABLE fleet_macs (
        jamf_id TEXT PRIMARY KEY,
        hash TEXT NOT NULL,
        record TEXT NOT NULL,
        version INTEGER NOT NULL,
        removed INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX fleet_macs_version ON fleet_macs (version);
      CREATE TABLE fleet_meta (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        body TEXT NOT NULL
      );
      CREATE TABLE fleet_build (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        body TEXT NOT NULL
      );
      CREATE TABLE fleet_sync_lease (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
    `,
    postgres: `
      CREATE TABLE fleet_sources (
        kind text NOT NULL,
        id text NOT NULL,
        body json NOT NULL,
        PRIMARY KEY (kind, id)
      );
      CREATE TABLE fleet_staging (
        kind text NOT NULL,
        id text NOT NULL,
        body json NOT NULL,
        PRIMARY KEY (kind, id)
      );
      CREATE TABLE fleet_macs (
        jamf_id text PRIMARY KEY,
        hash text NOT NULL,
        record json NOT NULL,
        version integer NOT NULL,
        removed boolean NOT NULL DEFAULT false
      );
      CREATE INDEX fleet_macs_version ON fleet_macs (version);
      CREATE TABLE fleet_meta (
        id integer PRIMARY KEY CHECK (id = 1),
        body json NOT NULL
      );
      CREATE TABLE fleet_build (
        id integer PRIMARY KEY CHECK (id = 1),
        body json NOT NULL
      );
      CREATE TABLE fleet_sync_lease (
        name text PRIMARY KEY,
        holder text NOT NULL,
        expires_at timestamptz NOT NULL
      );
    `,
  },
  {
    // The Jamf webhook queue (issue 22): one row per delivery, keyed by its hash, so a repeat is
    // recognised; leased by the worker; finished rows kept a week (store/retention.ts).
    version: 9,
    name: 'Jamf webhook queue: deliveries waiting for the worker',
    sqlite: `
      CREATE TABLE webhook_events (
        delivery_key TEXT PRIMARY KEY,
        webhook_id TEXT NOT NULL,
        event TEXT NOT NULL,
        event_timestamp TEXT NOT NULL,
        computer_ids TEXT NOT NULL,
        group_change TEXT,
        state TEXT NOT NULL DEFAULT 'queued',
        received_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        not_before TEXT NOT NULL,
        lease_owner TEXT,
        lease_until TEXT,
        finished_at TEXT
      );
      CREATE INDEX webhook_events_due ON webhook_events (state, not_before);
      CREATE INDEX webhook_events_finished ON webhook_events (finished_at);
    `,
    postgres: `
      CREATE TABLE webhook_events (
        delivery_key text PRIMARY KEY,
        webhook_id text NOT NULL,
        event text NOT NULL,
        event_timestamp timestamptz NOT NULL,
        computer_ids json NOT NULL,
        group_change json,
        state text NOT NULL DEFAULT 'queued',
        received_at timestamptz NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        not_before timestamptz NOT NULL,
        lease_owner text,
        lease_until timestamptz,
        finished_at timestamptz
      );
      CREATE INDEX webhook_events_due ON webhook_events (state, not_before);
      CREATE INDEX webhook_events_finished ON webhook_events (finished_at);
    `,
  },
  {
    // Issue 22: the thank-you's watches and once-per-Mac records (the unique key is the claim),
    // the campaigns each confirmation counts for, and the drop alert's recent drops and episode.
    version: 10,
    name: 'thank-you cards and compliance drop alerts',
    sqlite: `
      CREATE TABLE thank_you_watches (
        jamf_id TEXT PRIMARY KEY,
        recipient_id TEXT NOT NULL,
        recipient_name TEXT,
        recipient_upn TEXT,
        mac_name TEXT NOT NULL,
        locale TEXT,
        entered_at TEXT NOT NULL,
        give_up_at TEXT NOT NULL,
        next_check_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        lease_owner TEXT,
        lease_until TEXT
      );
      CREATE INDEX thank_you_watches_due ON thank_you_watches (next_check_at);
      CREATE TABLE thank_yous (
        jamf_id TEXT NOT NULL,
        entra_device_id TEXT NOT NULL,
        recipient_id TEXT NOT NULL,
        mac_name TEXT NOT NULL,
        confirmed_at TEXT NOT NULL,
        state TEXT NOT NULL,
        detail TEXT,
        conversation_id TEXT,
        activity_id TEXT,
        -- Once per Mac: a Mac registered again (a new Entra device) is not thanked twice.
        PRIMARY KEY (jamf_id)
      );
      CREATE TABLE campaign_conversions (
        campaign_id TEXT NOT NULL,
        jamf_id TEXT NOT NULL,
        entra_device_id TEXT NOT NULL,
        recipient_id TEXT NOT NULL,
        converted_at TEXT NOT NULL,
        PRIMARY KEY (campaign_id, jamf_id, entra_device_id)
      );
      CREATE INDEX campaign_outbox_recipient ON campaign_outbox (recipient_id, state);
      CREATE TABLE compliance_drops (
        jamf_id TEXT PRIMARY KEY,
        name TEXT,
        dropped_at TEXT NOT NULL
      );
      CREATE INDEX compliance_drops_at ON compliance_drops (dropped_at);
      CREATE TABLE drop_episode (
        key TEXT PRIMARY KEY,
        id TEXT NOT NULL,
        since TEXT NOT NULL,
        opened_at TEXT NOT NULL,
        last_drop_at TEXT NOT NULL,
        card_conversation_id TEXT,
        card_activity_id TEXT,
        card_count INTEGER NOT NULL DEFAULT 0,
        card_updated_at TEXT
      );
    `,
    postgres: `
      CREATE TABLE thank_you_watches (
        jamf_id text PRIMARY KEY,
        recipient_id text NOT NULL,
        recipient_name text,
        recipient_upn text,
        mac_name text NOT NULL,
        locale text,
        entered_at timestamptz NOT NULL,
        give_up_at timestamptz NOT NULL,
        next_check_at timestamptz NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        lease_owner text,
        lease_until timestamptz
      );
      CREATE INDEX thank_you_watches_due ON thank_you_watches (next_check_at);
      CREATE TABLE thank_yous (
        jamf_id text NOT NULL,
        entra_device_id text NOT NULL,
        recipient_id text NOT NULL,
        mac_name text NOT NULL,
        confirmed_at timestamptz NOT NULL,
        state text NOT NULL,
        detail text,
        conversation_id text,
        activity_id text,
        -- Once per Mac: a Mac registered again (a new Entra device) is not thanked twice.
        PRIMARY KEY (jamf_id)
      );
      CREATE TABLE campaign_conversions (
        campaign_id text NOT NULL,
        jamf_id text NOT NULL,
        entra_device_id text NOT NULL,
        recipient_id text NOT NULL,
        converted_at timestamptz NOT NULL,
        PRIMARY KEY (campaign_id, jamf_id, entra_device_id)
      );
      CREATE INDEX campaign_outbox_recipient ON campaign_outbox (recipient_id, state);
      CREATE TABLE compliance_drops (
        jamf_id text PRIMARY KEY,
        name text,
        dropped_at timestamptz NOT NULL
      );
      CREATE INDEX compliance_drops_at ON compliance_drops (dropped_at);
      CREATE TABLE drop_episode (
        key text PRIMARY KEY,
        id text NOT NULL,
        since timestamptz NOT NULL,
        opened_at timestamptz NOT NULL,
        last_drop_at timestamptz NOT NULL,
        card_conversation_id text,
        card_activity_id text,
        card_count integer NOT NULL DEFAULT 0,
        card_updated_at timestamptz
      );
    `,
  },
  {
    version: 11,
    name: 'device-card fixes (remediations) under idempotency keys',
    sqlite: `
      CREATE TABLE remediations (
        key TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        computer_id TEXT NOT NULL,
        mac_name TEXT NOT NULL,
        request TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        state TEXT NOT NULL,
        result TEXT,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX remediations_created ON remediations (created_at);
    `,
    postgres: `
      CREATE TABLE remediations (
        key text PRIMARY KEY,
        kind text NOT NULL,
        computer_id text NOT NULL,
        mac_name text NOT NULL,
        request json NOT NULL,
        created_at timestamptz NOT NULL,
        created_by json NOT NULL,
        state text NOT NULL,
        result json,
        updated_at timestamptz NOT NULL
      );
      CREATE INDEX remediations_created ON remediations (created_at);
    `,
  },
  {
    // Issue 19, campaign effectiveness: when each Mac was not compliant (one row per spell, written
    // on changes only, by the daily snapshot, the fleet's change feed, the thank-you and the
    // re-checks; closed spells kept HISTORY_RETENTION_DAYS), and who pressed their reminder's
    // Check again (one row per campaign × recipient, like the outbox).
    version: 12,
    name: 'campaign effectiveness: compliance spells and reminder checks',
    sqlite: `
      CREATE TABLE compliance_spells (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        jamf_id TEXT NOT NULL,
        user_id TEXT,
        since TEXT NOT NULL,
        until TEXT,
        ended TEXT CHECK (ended IN ('compliant', 'gone'))
      );
      CREATE UNIQUE INDEX compliance_spells_open ON compliance_spells (jamf_id) WHERE until IS NULL;
      CREATE INDEX compliance_spells_mac ON compliance_spells (jamf_id, since);
      CREATE INDEX compliance_spells_since ON compliance_spells (since);
      CREATE INDEX compliance_spells_until ON compliance_spells (until);
      CREATE TABLE reminder_checks (
        campaign_id TEXT NOT NULL,
        recipient_id TEXT NOT NULL,
        checked_at TEXT NOT NULL,
        PRIMARY KEY (campaign_id, recipient_id)
      );
      CREATE INDEX campaign_outbox_activity ON campaign_outbox (recipient_id, activity_id);
    `,
    postgres: `
      CREATE TABLE compliance_spells (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        jamf_id text NOT NULL,
        user_id text,
        since timestamptz NOT NULL,
        until timestamptz,
        ended text CHECK (ended IN ('compliant', 'gone'))
      );
      CREATE UNIQUE INDEX compliance_spells_open ON compliance_spells (jamf_id) WHERE until IS NULL;
      CREATE INDEX compliance_spells_mac ON compliance_spells (jamf_id, since);
      CREATE INDEX compliance_spells_since ON compliance_spells (since);
      CREATE INDEX compliance_spells_until ON compliance_spells (until);
      CREATE TABLE reminder_checks (
        campaign_id text NOT NULL,
        recipient_id text NOT NULL,
        checked_at timestamptz NOT NULL,
        PRIMARY KEY (campaign_id, recipient_id)
      );
      CREATE INDEX campaign_outbox_activity ON campaign_outbox (recipient_id, activity_id);
    `,
  },
  {
    // Issue 19, the rollout card's batch fixes: one row per batch (stored `planned` by the confirm
    // step with exactly the Macs its card shows; Confirm flips it to `running` once) and one per item — a recalculation for one Mac, or a
    // blank push for a chunk of Macs — claimed under a lease like the campaigns' outbox.
    version: 13,
    name: 'batch remediation from the rollout card: batches and their items',
    sqlite: `
      CREATE TABLE remediation_batches (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('planned', 'running', 'done', 'cancelled')),
        macs INTEGER NOT NULL,
        items INTEGER NOT NULL,
        card_conversation_id TEXT,
        card_activity_id TEXT,
        finished_at TEXT
      );
      CREATE INDEX remediation_batches_state ON remediation_batches (state, created_at);
      CREATE TABLE remediation_batch_items (
        batch_id TEXT NOT NULL REFERENCES remediation_batches (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL,
        macs TEXT NOT NULL,
        mac_count INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'claimed', 'finished')),
        attempts INTEGER NOT NULL DEFAULT 0,
        not_before TEXT,
        lease_owner TEXT,
        lease_until TEXT,
        done INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        failures TEXT,
        finished_at TEXT,
        PRIMARY KEY (batch_id, seq)
      );
      CREATE INDEX remediation_batch_items_due ON remediation_batch_items (state, not_before);
    `,
    postgres: `
      CREATE TABLE remediation_batches (
        id text PRIMARY KEY,
        kind text NOT NULL,
        created_at timestamptz NOT NULL,
        created_by json NOT NULL,
        state text NOT NULL CHECK (state IN ('planned', 'running', 'done', 'cancelled')),
        macs integer NOT NULL,
        items integer NOT NULL,
        card_conversation_id text,
        card_activity_id text,
        finished_at timestamptz
      );
      CREATE INDEX remediation_batches_state ON remediation_batches (state, created_at);
      CREATE TABLE remediation_batch_items (
        batch_id text NOT NULL REFERENCES remediation_batches (id) ON DELETE CASCADE,
        seq integer NOT NULL,
        kind text NOT NULL,
        macs json NOT NULL,
        mac_count integer NOT NULL,
        state text NOT NULL CHECK (state IN ('pending', 'claimed', 'finished')),
        attempts integer NOT NULL DEFAULT 0,
        not_before timestamptz,
        lease_owner text,
        lease_until timestamptz,
        done integer NOT NULL DEFAULT 0,
        failed integer NOT NULL DEFAULT 0,
        failures json,
        finished_at timestamptz,
        PRIMARY KEY (batch_id, seq)
      );
      CREATE INDEX remediation_batch_items_due ON remediation_batch_items (state, not_before);
    `,
  },
  {
    // Issue 21, ambiguous sends: an in-doubt row an admin put back with Resend to in doubt carries
    // when (it is never put back again).
    version: 14,
    name: 'campaign outbox: resend to in doubt marker',
    sqlite: `
      ALTER TABLE campaign_outbox ADD COLUMN resent_at TEXT;
    `,
    postgres: `
      ALTER TABLE campaign_outbox ADD COLUMN resent_at timestamptz;
    `,
  },
  {
    // Issue 20, languages: the Teams client's locale and time zone of each conversation, kept
    // for reminders and thank-you cards, which start without an incoming message.
    version: 15,
    name: 'conversation locale and time zone',
    sqlite: `
      ALTER TABLE conversations ADD COLUMN locale TEXT;
      ALTER TABLE conversations ADD COLUMN time_zone TEXT;
    `,
    postgres: `
      ALTER TABLE conversations ADD COLUMN locale text, ADD COLUMN time_zone text;
    `,
  },
  {
    // Issue 21: the per-user command limit and the progress cards' update pace, shared by the
    // instances on PostgreSQL (rate-limiter-flexible's RateLimiterPostgres, told the table exists:
    // its own layout, `expire` in epoch ms). One SQLite process limits in memory; the table is
    // created there too so both stores have the same schema at each version.
    version: 16,
    name: 'shared rate limits: commands per user, progress card pace',
    sqlite: `
      CREATE TABLE rate_limits (
        key TEXT PRIMARY KEY,
        points INTEGER NOT NULL DEFAULT 0,
        expire INTEGER
      );
    `,
    postgres: `
      CREATE TABLE rate_limits (
        key text PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      );
    `,
  },
];

/** The list for one dialect. */
export const migrationsFor = (dialect: 'sqlite' | 'postgres'): DialectMigration[] =>
  MIGRATIONS.map((m) => ({ version: m.version, name: m.name, sql: m[dialect] }));

export const SQLITE_MIGRATIONS: readonly DialectMigration[] = migrationsFor('sqlite');
export const PG_MIGRATIONS: readonly DialectMigration[] = migrationsFor('postgres');
