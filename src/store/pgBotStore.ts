import { Pool, type PoolConfig } from 'pg';
import { StoreUnavailableError } from '../errors';
import type { Logger } from '../log';
import { applyPgMigrations } from './applyPgMigrations';
import type {
  AlertState,
  AuditEntry,
  BotStore,
  Escalation,
  StoredOnboardingPlan,
  RolloutSnapshot,
  StoredConversation,
} from './botStore';
import { describeDatabaseUrl } from './describeDatabaseUrl';
import { PG_MIGRATIONS, type DialectMigration } from './migrations';
import { PgLiveUpdateStore } from './pgLiveUpdateStore';
import { JOB_RUN_RETENTION_MS, planCutoff } from './retention';
import type { AlertRow, AuditRow, ConversationRow, EscalationRow, PlanRow, SnapshotRow } from './rowMappers';
import { toAlertState, toAudit, toConversation, toEscalation, toPlan, toSnapshot } from './rowMappers';
import { limitOf } from './limitOf';
import { pgRateLimiters, type RateLimiters } from './rateLimiters';
import type { WebhookQueue } from './ports/webhookQueue';
import { pgRemediationStore } from './pgRemediationStore';
import { pgRemediationBatchStore } from './pgRemediationBatchStore';
import type { RemediationBatchStore } from './ports/remediationBatchStore';
import type { RemediationStore } from './ports/remediationStore';
import type { ComplianceHistoryStore } from './ports/complianceHistoryStore';
import { pgComplianceHistory } from './pgComplianceHistory';
import { pgWebhookQueue } from './pgWebhookQueue';
import { alertStateParams, auditParams, conversationParams, planParams, snapshotParams } from './rowParams';

export interface PgBotStoreOptions {
  /** `postgres://user:password@host:5432/db?sslmode=verify-full` */
  connectionString: string;
  /** Connections this instance may hold (Azure's small tiers allow ~50 across all instances). */
  maxConnections?: number;
  /** Sets `search_path` on every connection: tests give each store its own schema. */
  schema?: string;
  logger?: Logger;
  /** Tests: a migration list other than the build's. */
  migrations?: readonly DialectMigration[];
}

/** How long readiness waits for `SELECT 1` (a probe must answer well inside a load balancer's timeout). */
const PROBE_TIMEOUT_MS = 3000;

/** `day` is a `date`: read as text so no time zone ever shifts it. */
const SNAPSHOT_COLUMNS = `to_char(day, 'YYYY-MM-DD') AS day, taken_at, total, applicable, by_verdict,
  percent_compliant, top_reasons`;

/**
 * `BotStore` on PostgreSQL (`pg` Pool): for several instances sharing one database. Built
 * synchronously so the composition root stays synchronous; migrations start at once and every
 * method waits for them, and `ready()` (awaited before the app listens) surfaces their failure.
 * JSON values are always sent as `JSON.stringify` text with a cast: `pg` would turn a JS array
 * into a PostgreSQL array.
 */
export class PgBotStore extends PgLiveUpdateStore implements BotStore {
  // Inherited along the class chain, same pool and migrations: reminder campaigns (PgCampaignStore),
  // the fleet snapshot (PgFleetSnapshotStore), thank-yous and drop alerts (PgLiveUpdateStore).
  private closed = false;

  // The Jamf webhook queue (issue 22): its statements are in pgWebhookQueue.ts.
  private readonly webhooks = pgWebhookQueue((sql, params) => this.query(sql, params));
  enqueueWebhook: WebhookQueue['enqueueWebhook'] = (d, at) => this.webhooks.enqueueWebhook(d, at);
  claimWebhooks: WebhookQueue['claimWebhooks'] = (opts) => this.webhooks.claimWebhooks(opts);
  finishWebhooks: WebhookQueue['finishWebhooks'] = (keys, owner, outcome, at) =>
    this.webhooks.finishWebhooks(keys, owner, outcome, at);
  retryWebhooks: WebhookQueue['retryWebhooks'] = (keys, owner, notBefore) =>
    this.webhooks.retryWebhooks(keys, owner, notBefore);
  // The rollout card's batch fixes (issue 19): statements in pgRemediationBatchStore.ts.
  private readonly batches = pgRemediationBatchStore((sql, params) => this.query(sql, params));
  createBatch: RemediationBatchStore['createBatch'] = (b) => this.batches.createBatch(b);
  getBatch: RemediationBatchStore['getBatch'] = (id) => this.batches.getBatch(id);
  listRunningBatches: RemediationBatchStore['listRunningBatches'] = () => this.batches.listRunningBatches();
  startBatch: RemediationBatchStore['startBatch'] = (id, by, card) => this.batches.startBatch(id, by, card);
  cancelBatch: RemediationBatchStore['cancelBatch'] = (id, at) => this.batches.cancelBatch(id, at);
  failPendingBatchItems: RemediationBatchStore['failPendingBatchItems'] = (id, failure, at) =>
    this.batches.failPendingBatchItems(id, failure, at);
  claimBatchItems: RemediationBatchStore['claimBatchItems'] = (opts) => this.batches.claimBatchItems(opts);
  renewBatchLeases: RemediationBatchStore['renewBatchLeases'] = (owner, until) =>
    this.batches.renewBatchLeases(owner, until);
  finishBatchItem: RemediationBatchStore['finishBatchItem'] = (id, seq, owner, outcome, at) =>
    this.batches.finishBatchItem(id, seq, owner, outcome, at);
  retryBatchItem: RemediationBatchStore['retryBatchItem'] = (id, seq, owner, notBefore) =>
    this.batches.retryBatchItem(id, seq, owner, notBefore);
  recoverBatchItems: RemediationBatchStore['recoverBatchItems'] = (opts) =>
    this.batches.recoverBatchItems(opts);
  completeBatchIfDrained: RemediationBatchStore['completeBatchIfDrained'] = (id, at, result) =>
    this.batches.completeBatchIfDrained(id, at, result);
  batchProgress: RemediationBatchStore['batchProgress'] = (id, limit) =>
    this.batches.batchProgress(id, limit);
  // Device-card fixes under idempotency keys (issue 19): statements in pgRemediationStore.ts.
  private readonly remediations = pgRemediationStore((sql, params) => this.query(sql, params));
  saveRemediation: RemediationStore['saveRemediation'] = (r) => this.remediations.saveRemediation(r);
  getRemediation: RemediationStore['getRemediation'] = (key) => this.remediations.getRemediation(key);
  claimRemediation: RemediationStore['claimRemediation'] = (key, at) =>
    this.remediations.claimRemediation(key, at);
  finishRemediation: RemediationStore['finishRemediation'] = (key, result, at) =>
    this.remediations.finishRemediation(key, result, at);
  getWebhook: WebhookQueue['getWebhook'] = (key) => this.webhooks.getWebhook(key);
  webhookQueueCounts: WebhookQueue['webhookQueueCounts'] = () => this.webhooks.webhookQueueCounts();

  // Campaign effectiveness (issue 19): its statements are in pgComplianceHistory.ts.
  private readonly history = pgComplianceHistory((sql, params) => this.query(sql, params));
  recordComplianceObservations: ComplianceHistoryStore['recordComplianceObservations'] = (obs, at, opts) =>
    this.history.recordComplianceObservations(obs, at, opts);
  recordReminderCheck: ComplianceHistoryStore['recordReminderCheck'] = (recipientId, ref, at) =>
    this.history.recordReminderCheck(recipientId, ref, at);
  campaignEffectivenessInput: ComplianceHistoryStore['campaignEffectivenessInput'] = (id) =>
    this.history.campaignEffectivenessInput(id);

  constructor(opts: PgBotStoreOptions) {
    const pool = openPool(opts);
    const migrated = applyPgMigrations(pool, opts.migrations ?? PG_MIGRATIONS).catch((err: unknown) => {
      throw new Error(
        `PostgreSQL at ${describeDatabaseUrl(opts.connectionString)} is not usable: ${
          err instanceof Error ? err.message : String(err)
        }`,
        { cause: err },
      );
    });
    // Handled here so a failure before anyone awaits is not an unhandled rejection.
    migrated.catch(() => undefined);
    super(pool, migrated);
  }

  /** Opens and waits for the migrations (tests, tools). */
  static async open(opts: PgBotStoreOptions): Promise<PgBotStore> {
    const store = new PgBotStore(opts);
    try {
      await store.ready();
    } catch (err) {
      await store.close();
      throw err;
    }
    return store;
  }

  async ready(): Promise<void> {
    await this.migrated;
  }

  async schemaVersion(): Promise<number> {
    await this.migrated;
    const [row] = await this.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
    return Number(row?.v ?? 0);
  }

  /** The versions the start-up migration applied ([] when the database was current). */
  appliedMigrations(): Promise<number[]> {
    return this.migrated;
  }

  async saveSnapshot(s: RolloutSnapshot): Promise<void> {
    await this.query(
      `INSERT INTO rollout_snapshots (day, taken_at, total, applicable, by_verdict, percent_compliant, top_reasons)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7::jsonb)
       ON CONFLICT (day) DO UPDATE SET taken_at = excluded.taken_at, total = excluded.total,
         applicable = excluded.applicable, by_verdict = excluded.by_verdict,
         percent_compliant = excluded.percent_compliant, top_reasons = excluded.top_reasons`,
      snapshotParams(s),
    );
  }

  async getSnapshot(day: string): Promise<RolloutSnapshot | null> {
    if (!isDay(day)) return null;
    const [row] = await this.query<SnapshotRow>(
      `SELECT ${SNAPSHOT_COLUMNS} FROM rollout_snapshots WHERE day = $1`,
      [day],
    );
    return row ? toSnapshot(row) : null;
  }

  async listSnapshots(opts: { toDay: string; limit: number }): Promise<RolloutSnapshot[]> {
    if (!isDay(opts.toDay)) return [];
    const rows = await this.query<SnapshotRow>(
      `SELECT ${SNAPSHOT_COLUMNS} FROM rollout_snapshots WHERE day <= $1 ORDER BY day DESC LIMIT $2`,
      [opts.toDay, limitOf(opts.limit)],
    );
    return rows.reverse().map(toSnapshot);
  }

  async getAlertState(key: string): Promise<AlertState | null> {
    const [r] = await this.query<AlertRow>('SELECT * FROM alert_state WHERE key = $1', [key]);
    return r ? toAlertState(r) : null;
  }

  async saveAlertState(s: AlertState): Promise<void> {
    await this.query(
      `INSERT INTO alert_state (key, healthy, problems, since, checked_at, alert_conversation_id,
         alert_activity_id, alerted_at)
       VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $8)
       ON CONFLICT (key) DO UPDATE SET healthy = excluded.healthy, problems = excluded.problems,
         since = excluded.since, checked_at = excluded.checked_at,
         alert_conversation_id = excluded.alert_conversation_id,
         alert_activity_id = excluded.alert_activity_id, alerted_at = excluded.alerted_at`,
      alertStateParams(s, s.healthy),
    );
  }

  async saveConversation(
    c: Omit<StoredConversation, 'firstSeen' | 'lastSeen'> & { seenAt: string },
  ): Promise<void> {
    await this.query(
      `INSERT INTO conversations (conversation_id, scope, tenant_id, team_id, aad_object_id, reference,
         first_seen, last_seen, locale, time_zone)
       VALUES ($1, $2, $3, $4, $5, $6::json, $7, $7, $8, $9)
       ON CONFLICT (conversation_id) DO UPDATE SET scope = excluded.scope, tenant_id = excluded.tenant_id,
         team_id = excluded.team_id, aad_object_id = excluded.aad_object_id,
         reference = excluded.reference, last_seen = excluded.last_seen,
         locale = COALESCE(excluded.locale, conversations.locale),
         time_zone = COALESCE(excluded.time_zone, conversations.time_zone)`,
      conversationParams(c),
    );
  }

  async getConversation(conversationId: string): Promise<StoredConversation | null> {
    const [row] = await this.query<ConversationRow>(
      'SELECT * FROM conversations WHERE conversation_id = $1',
      [conversationId],
    );
    return row ? toConversation(row) : null;
  }

  async firstChannel(): Promise<StoredConversation | null> {
    const [row] = await this.query<ConversationRow>(
      // COLLATE "C": the same byte order as SQLite's, whatever the database's collation.
      `SELECT * FROM conversations WHERE scope = 'channel'
       ORDER BY first_seen, conversation_id COLLATE "C" LIMIT 1`,
    );
    return row ? toConversation(row) : null;
  }

  async appendAudit(e: Omit<AuditEntry, 'id'>): Promise<number> {
    const [row] = await this.query<{ id: string }>(
      `INSERT INTO audit_log (at, actor_teams_id, actor_aad_object_id, actor_name, action, target,
         outcome, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::json) RETURNING id`,
      auditParams(e),
    );
    return Number(row!.id);
  }

  async listAudit(opts: { limit: number; beforeId?: number; action?: string }): Promise<AuditEntry[]> {
    const rows = await this.query<AuditRow>(
      `SELECT * FROM audit_log WHERE id < $1 AND ($2::text IS NULL OR action = $2)
       ORDER BY id DESC LIMIT $3`,
      [opts.beforeId ?? Number.MAX_SAFE_INTEGER, opts.action ?? null, limitOf(opts.limit)],
    );
    return rows.map(toAudit);
  }

  async claimWelcome(userKey: string, at: string): Promise<boolean> {
    const rows = await this.query(
      `INSERT INTO user_welcomes (user_key, welcomed_at) VALUES ($1, $2)
       ON CONFLICT (user_key) DO NOTHING RETURNING 1 AS claimed`,
      [userKey, at],
    );
    return rows.length === 1;
  }

  async forgetWelcome(userKey: string): Promise<void> {
    await this.query('DELETE FROM user_welcomes WHERE user_key = $1', [userKey]);
  }

  async openEscalation(
    e: Pick<Escalation, 'userKey' | 'day' | 'createdAt' | 'userName' | 'userUpn'>,
  ): Promise<{ created: true; escalation: Escalation } | { created: false; existing: Escalation }> {
    // The partial unique index makes a second open escalation that day impossible; a racing
    // insert that loses reads the winner's row (read committed sees it once the winner commits).
    for (;;) {
      const [created] = await this.query<EscalationRow>(
        `INSERT INTO escalations (user_key, day, status, created_at, user_name, user_upn)
         VALUES ($1, $2, 'open', $3, $4, $5)
         ON CONFLICT (user_key, day) WHERE status = 'open' DO NOTHING RETURNING *`,
        [e.userKey, e.day, e.createdAt, e.userName, e.userUpn],
      );
      if (created) return { created: true, escalation: toEscalation(created) };
      const [existing] = await this.query<EscalationRow>(
        "SELECT * FROM escalations WHERE user_key = $1 AND day = $2 AND status = 'open'",
        [e.userKey, e.day],
      );
      // Gone in between (marked failed): try again.
      if (existing) return { created: false, existing: toEscalation(existing) };
    }
  }

  async markEscalationPosted(id: number, posted: NonNullable<Escalation['posted']>): Promise<void> {
    await this.query('UPDATE escalations SET conversation_id = $1, activity_id = $2 WHERE id = $3', [
      posted.conversationId,
      posted.activityId,
      id,
    ]);
  }

  async markEscalationFailed(id: number): Promise<void> {
    await this.query("UPDATE escalations SET status = 'failed' WHERE id = $1", [id]);
  }

  async saveOnboardingPlan(p: Omit<StoredOnboardingPlan, 'status' | 'updatedAt'>): Promise<void> {
    await this.query(
      `INSERT INTO onboarding_plans (id, created_at, actor_teams_id, actor_aad_object_id, actor_name, target,
         plan, status, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::json, 'planned', $2)`,
      planParams(p),
    );
    await this.query('DELETE FROM onboarding_plans WHERE created_at < $1', [planCutoff(p.createdAt)]);
  }

  async getOnboardingPlan(id: string): Promise<StoredOnboardingPlan | null> {
    const [row] = await this.query<PlanRow>('SELECT * FROM onboarding_plans WHERE id = $1', [id]);
    return row ? toPlan(row) : null;
  }

  async claimOnboardingPlan(id: string, at: string, staleBefore: string): Promise<boolean> {
    const rows = await this.query(
      `UPDATE onboarding_plans SET status = 'running', updated_at = $1
       WHERE id = $2 AND (status <> 'running' OR updated_at < $3) RETURNING 1 AS claimed`,
      [at, id, staleBefore],
    );
    return rows.length === 1;
  }

  async finishOnboardingPlan(id: string, status: 'applied' | 'failed', at: string): Promise<void> {
    await this.query('UPDATE onboarding_plans SET status = $1, updated_at = $2 WHERE id = $3', [
      status,
      at,
      id,
    ]);
  }

  async claimJobRun(job: string, dueAt: string, instanceId: string): Promise<boolean> {
    const claimed = await this.query(
      `INSERT INTO job_runs (job, due_at, instance_id) VALUES ($1, $2, $3)
       ON CONFLICT (job, due_at) DO NOTHING RETURNING 1 AS claimed`,
      [job, dueAt, instanceId],
    );
    if (claimed.length === 0) return false;
    await this.query('DELETE FROM job_runs WHERE job = $1 AND due_at < $2', [
      job,
      new Date(Date.parse(dueAt) - JOB_RUN_RETENTION_MS).toISOString(),
    ]);
    return true;
  }

  /**
   * The shared pacer's one statement (GCRA): takes the next free slot of `key` — the later of
   * its `next_at` and the database's clock — and moves `next_at` one interval on. Returns how
   * long to wait for that slot, measured on the database's clock, so the instances' own clocks
   * never matter. Several instances calling at once are serialised by the row lock.
   */
  async reserveSendSlot(key: string, intervalMs: number): Promise<number> {
    const [r] = await this.query<{ wait_ms: number }>(
      `INSERT INTO send_rate AS s (key, next_at) VALUES ($1, clock_timestamp() + $2 * interval '1 millisecond')
       ON CONFLICT (key) DO UPDATE
         SET next_at = greatest(s.next_at, clock_timestamp()) + $2 * interval '1 millisecond'
       RETURNING greatest(0, extract(epoch FROM (s.next_at - $2 * interval '1 millisecond' - clock_timestamp())) * 1000)::double precision AS wait_ms`,
      [key, intervalMs],
    );
    return r?.wait_ms ?? 0;
  }

  /**
   * Issue 21: rate limits counted in `rate_limits`, shared by every instance on this database
   * (the per-user command limit, the progress cards' pace). Queries wait for the migrations.
   */
  rateLimiters(logger: Logger): RateLimiters {
    const query = async (q: { name?: string; text: string; values?: unknown[] }) => {
      await this.migrated;
      return this.pool.query(q);
    };
    return pgRateLimiters({ query }, logger);
  }

  /** A 429's `Retry-After`: no instance gets a slot of `key` for the next `ms`. */
  async holdSends(key: string, ms: number): Promise<void> {
    await this.query(
      `INSERT INTO send_rate AS s (key, next_at) VALUES ($1, clock_timestamp() + $2 * interval '1 millisecond')
       ON CONFLICT (key) DO UPDATE SET next_at = greatest(s.next_at, clock_timestamp() + $2 * interval '1 millisecond')`,
      [key, Math.max(0, ms)],
    );
  }

  async probe(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new StoreUnavailableError(
              'unreachable',
              `PostgreSQL did not answer within ${PROBE_TIMEOUT_MS} ms`,
            ),
          ),
        PROBE_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([this.pool.query('SELECT 1'), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.migrated.catch(() => undefined);
    await this.pool.end();
  }
}

/** The pool, `search_path` set for a test's schema; a dropped idle connection is only logged. */
function openPool(opts: PgBotStoreOptions): Pool {
  const config: PoolConfig = {
    connectionString: opts.connectionString,
    max: opts.maxConnections ?? 10,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    application_name: 'jamf-compliance-bot',
  };
  if (opts.schema) config.options = `-c search_path=${plainSchemaName(opts.schema)}`;
  const pool = new Pool(config);
  // A connection checked out between two statements (inside a transaction) that the server
  // drops emits 'error' on its client, where the pool no longer listens: unheard, it would crash
  // the process. The statement in flight, or the next one, fails with it instead.
  pool.on('connect', (client) => client.on('error', () => undefined));
  // An idle connection that the server drops (restart, failover) must not crash the process.
  pool.on('error', (err) =>
    opts.logger?.warn(
      { err: err.message, database: describeDatabaseUrl(opts.connectionString) },
      'PostgreSQL connection lost; the pool reconnects on the next query',
    ),
  );
  return pool;
}

/** `YYYY-MM-DD`: anything else cannot be a stored day (and would be a cast error in SQL). */
function isDay(day: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(day) && !Number.isNaN(Date.parse(`${day}T00:00:00Z`));
}

/** A schema name safe to put in the connection's `options` unquoted. */
function plainSchemaName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`not a plain schema name: ${name}`);
  return name;
}
