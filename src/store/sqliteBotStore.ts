import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { applySqliteMigrations } from './applySqliteMigrations';
import { probeSqlite } from './probeSqlite';
import { SqliteLiveUpdateStore } from './sqliteLiveUpdateStore';
import type {
  AlertState,
  AuditEntry,
  BotStore,
  StoredOnboardingPlan,
  Escalation,
  RolloutSnapshot,
  StoredConversation,
} from './botStore';
import { JOB_RUN_RETENTION_MS, planCutoff } from './retention';
import type { AlertRow, AuditRow, ConversationRow, EscalationRow, PlanRow, SnapshotRow } from './rowMappers';
import { toAlertState, toAudit, toConversation, toEscalation, toPlan, toSnapshot } from './rowMappers';
import { limitOf } from './limitOf';
import type { WebhookQueue } from './ports/webhookQueue';
import { sqliteRemediationStore } from './sqliteRemediationStore';
import { sqliteRemediationBatchStore } from './sqliteRemediationBatchStore';
import type { RemediationBatchStore } from './ports/remediationBatchStore';
import type { RemediationStore } from './ports/remediationStore';
import type { ComplianceHistoryStore } from './ports/complianceHistoryStore';
import { sqliteComplianceHistory } from './sqliteComplianceHistory';
import { sqliteWebhookQueue } from './sqliteWebhookQueue';
import { alertStateParams, auditParams, conversationParams, planParams, snapshotParams } from './rowParams';

/**
 * `BotStore` on an embedded SQLite file (better-sqlite3, WAL): the default for one instance.
 * better-sqlite3 is synchronous; the methods are async only to keep the interface portable.
 */
export class SqliteBotStore extends SqliteLiveUpdateStore implements BotStore {
  // Inherited along the class chain, same database: reminder campaigns (SqliteCampaignStore),
  // the fleet snapshot (SqliteFleetSnapshotStore), thank-yous and drop alerts (SqliteLiveUpdateStore).
  private constructor(db: Database.Database) {
    super(db);
  }

  // The Jamf webhook queue (issue 22): its statements are in sqliteWebhookQueue.ts.
  private readonly webhooks = sqliteWebhookQueue(this.db);
  enqueueWebhook: WebhookQueue['enqueueWebhook'] = (d, at) => this.webhooks.enqueueWebhook(d, at);
  claimWebhooks: WebhookQueue['claimWebhooks'] = (opts) => this.webhooks.claimWebhooks(opts);
  finishWebhooks: WebhookQueue['finishWebhooks'] = (keys, owner, outcome, at) =>
    this.webhooks.finishWebhooks(keys, owner, outcome, at);
  retryWebhooks: WebhookQueue['retryWebhooks'] = (keys, owner, notBefore) =>
    this.webhooks.retryWebhooks(keys, owner, notBefore);
  // Device-card fixes under idempotency keys (issue 19): statements in sqliteRemediationStore.ts.
  private readonly remediations = sqliteRemediationStore(this.db);
  saveRemediation: RemediationStore['saveRemediation'] = (r) => this.remediations.saveRemediation(r);
  getRemediation: RemediationStore['getRemediation'] = (key) => this.remediations.getRemediation(key);
  claimRemediation: RemediationStore['claimRemediation'] = (key, at) =>
    this.remediations.claimRemediation(key, at);
  finishRemediation: RemediationStore['finishRemediation'] = (key, result, at) =>
    this.remediations.finishRemediation(key, result, at);
  // The rollout card's batch fixes (issue 19): statements in sqliteRemediationBatchStore.ts.
  private readonly batches = sqliteRemediationBatchStore(this.db);
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
  getWebhook: WebhookQueue['getWebhook'] = (key) => this.webhooks.getWebhook(key);
  webhookQueueCounts: WebhookQueue['webhookQueueCounts'] = () => this.webhooks.webhookQueueCounts();

  // Campaign effectiveness (issue 19): its statements are in sqliteComplianceHistory.ts.
  private readonly history = sqliteComplianceHistory(this.db);
  recordComplianceObservations: ComplianceHistoryStore['recordComplianceObservations'] = (obs, at, opts) =>
    this.history.recordComplianceObservations(obs, at, opts);
  recordReminderCheck: ComplianceHistoryStore['recordReminderCheck'] = (recipientId, ref, at) =>
    this.history.recordReminderCheck(recipientId, ref, at);
  campaignEffectivenessInput: ComplianceHistoryStore['campaignEffectivenessInput'] = (id) =>
    this.history.campaignEffectivenessInput(id);

  /** Opens (creating the file and its folder if missing) and migrates; `:memory:` for tests. */
  static open(file: string): SqliteBotStore {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    applySqliteMigrations(db);
    return new SqliteBotStore(db);
  }

  async saveSnapshot(s: RolloutSnapshot): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO rollout_snapshots (day, taken_at, total, applicable, by_verdict, percent_compliant, top_reasons)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (day) DO UPDATE SET taken_at = excluded.taken_at, total = excluded.total,
           applicable = excluded.applicable, by_verdict = excluded.by_verdict,
           percent_compliant = excluded.percent_compliant, top_reasons = excluded.top_reasons`,
      )
      .run(...snapshotParams(s));
  }

  async getSnapshot(day: string): Promise<RolloutSnapshot | null> {
    const row = this.db.prepare('SELECT * FROM rollout_snapshots WHERE day = ?').get(day) as
      SnapshotRow | undefined;
    return row ? toSnapshot(row) : null;
  }

  async listSnapshots(opts: { toDay: string; limit: number }): Promise<RolloutSnapshot[]> {
    const rows = this.db
      .prepare('SELECT * FROM rollout_snapshots WHERE day <= ? ORDER BY day DESC LIMIT ?')
      .all(opts.toDay, limitOf(opts.limit)) as SnapshotRow[];
    return rows.reverse().map(toSnapshot);
  }

  async getAlertState(key: string): Promise<AlertState | null> {
    const r = this.db.prepare('SELECT * FROM alert_state WHERE key = ?').get(key) as AlertRow | undefined;
    return r ? toAlertState(r) : null;
  }

  async saveAlertState(s: AlertState): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO alert_state (key, healthy, problems, since, checked_at, alert_conversation_id,
           alert_activity_id, alerted_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET healthy = excluded.healthy, problems = excluded.problems,
           since = excluded.since, checked_at = excluded.checked_at,
           alert_conversation_id = excluded.alert_conversation_id,
           alert_activity_id = excluded.alert_activity_id, alerted_at = excluded.alerted_at`,
      )
      .run(...alertStateParams(s, s.healthy ? 1 : 0));
  }

  async saveConversation(
    c: Omit<StoredConversation, 'firstSeen' | 'lastSeen'> & { seenAt: string },
  ): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO conversations (conversation_id, scope, tenant_id, team_id, aad_object_id, reference,
           first_seen, locale, time_zone, last_seen)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (conversation_id) DO UPDATE SET scope = excluded.scope, tenant_id = excluded.tenant_id,
           team_id = excluded.team_id, aad_object_id = excluded.aad_object_id,
           reference = excluded.reference, last_seen = excluded.last_seen,
           locale = COALESCE(excluded.locale, conversations.locale),
           time_zone = COALESCE(excluded.time_zone, conversations.time_zone)`,
      )
      .run(...conversationParams(c), c.seenAt);
  }

  async getConversation(conversationId: string): Promise<StoredConversation | null> {
    const row = this.db
      .prepare('SELECT * FROM conversations WHERE conversation_id = ?')
      .get(conversationId) as ConversationRow | undefined;
    return row ? toConversation(row) : null;
  }

  async firstChannel(): Promise<StoredConversation | null> {
    const row = this.db
      .prepare(
        "SELECT * FROM conversations WHERE scope = 'channel' ORDER BY first_seen, conversation_id LIMIT 1",
      )
      .get() as ConversationRow | undefined;
    return row ? toConversation(row) : null;
  }

  async appendAudit(e: Omit<AuditEntry, 'id'>): Promise<number> {
    const info = this.db
      .prepare(
        `INSERT INTO audit_log (at, actor_teams_id, actor_aad_object_id, actor_name, action, target,
           outcome, details)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(...auditParams(e));
    return Number(info.lastInsertRowid);
  }

  async listAudit(opts: { limit: number; beforeId?: number; action?: string }): Promise<AuditEntry[]> {
    const rows = this.db
      .prepare(`SELECT * FROM audit_log WHERE id < ? AND (? IS NULL OR action = ?) ORDER BY id DESC LIMIT ?`)
      .all(
        opts.beforeId ?? Number.MAX_SAFE_INTEGER,
        opts.action ?? null,
        opts.action ?? null,
        limitOf(opts.limit),
      ) as AuditRow[];
    return rows.map(toAudit);
  }

  async claimWelcome(userKey: string, at: string): Promise<boolean> {
    const info = this.db
      .prepare('INSERT OR IGNORE INTO user_welcomes (user_key, welcomed_at) VALUES (?, ?)')
      .run(userKey, at);
    return info.changes === 1;
  }

  async forgetWelcome(userKey: string): Promise<void> {
    this.db.prepare('DELETE FROM user_welcomes WHERE user_key = ?').run(userKey);
  }

  async openEscalation(
    e: Pick<Escalation, 'userKey' | 'day' | 'createdAt' | 'userName' | 'userUpn'>,
  ): Promise<{ created: true; escalation: Escalation } | { created: false; existing: Escalation }> {
    // One transaction: the partial unique index makes a second open escalation that day impossible.
    return this.db.transaction(() => {
      const info = this.db
        .prepare(
          `INSERT OR IGNORE INTO escalations (user_key, day, status, created_at, user_name, user_upn)
           VALUES (?, ?, 'open', ?, ?, ?)`,
        )
        .run(e.userKey, e.day, e.createdAt, e.userName, e.userUpn);
      if (info.changes === 1) {
        const row = this.db
          .prepare('SELECT * FROM escalations WHERE id = ?')
          .get(Number(info.lastInsertRowid)) as EscalationRow;
        return { created: true as const, escalation: toEscalation(row) };
      }
      const row = this.db
        .prepare("SELECT * FROM escalations WHERE user_key = ? AND day = ? AND status = 'open'")
        .get(e.userKey, e.day) as EscalationRow;
      return { created: false as const, existing: toEscalation(row) };
    })();
  }

  async markEscalationPosted(id: number, posted: NonNullable<Escalation['posted']>): Promise<void> {
    this.db
      .prepare('UPDATE escalations SET conversation_id = ?, activity_id = ? WHERE id = ?')
      .run(posted.conversationId, posted.activityId, id);
  }

  async markEscalationFailed(id: number): Promise<void> {
    this.db.prepare("UPDATE escalations SET status = 'failed' WHERE id = ?").run(id);
  }

  async saveOnboardingPlan(p: Omit<StoredOnboardingPlan, 'status' | 'updatedAt'>): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO onboarding_plans (id, created_at, actor_teams_id, actor_aad_object_id, actor_name, target,
           plan, status, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'planned', ?)`,
      )
      .run(...planParams(p), p.createdAt);
    this.db.prepare('DELETE FROM onboarding_plans WHERE created_at < ?').run(planCutoff(p.createdAt));
  }

  async getOnboardingPlan(id: string): Promise<StoredOnboardingPlan | null> {
    const row = this.db.prepare('SELECT * FROM onboarding_plans WHERE id = ?').get(id) as PlanRow | undefined;
    return row ? toPlan(row) : null;
  }

  async claimOnboardingPlan(id: string, at: string, staleBefore: string): Promise<boolean> {
    const info = this.db
      .prepare(
        `UPDATE onboarding_plans SET status = 'running', updated_at = ?
         WHERE id = ? AND (status <> 'running' OR updated_at < ?)`,
      )
      .run(at, id, staleBefore);
    return info.changes === 1;
  }

  async finishOnboardingPlan(id: string, status: 'applied' | 'failed', at: string): Promise<void> {
    this.db
      .prepare('UPDATE onboarding_plans SET status = ?, updated_at = ? WHERE id = ?')
      .run(status, at, id);
  }

  async claimJobRun(job: string, dueAt: string, instanceId: string): Promise<boolean> {
    const claimed = this.db
      .prepare(
        `INSERT INTO job_runs (job, due_at, instance_id, claimed_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (job, due_at) DO NOTHING`,
      )
      .run(job, dueAt, instanceId, new Date().toISOString()).changes;
    if (claimed !== 1) return false;
    const cutoff = Date.parse(dueAt) - JOB_RUN_RETENTION_MS;
    if (!Number.isNaN(cutoff))
      this.db
        .prepare('DELETE FROM job_runs WHERE job = ? AND due_at < ?')
        .run(job, new Date(cutoff).toISOString());
    return true;
  }

  async ready(): Promise<void> {
    // Migrated synchronously in open().
  }

  async schemaVersion(): Promise<number> {
    const row = this.db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as {
      v: number | null;
    };
    return row.v ?? 0;
  }

  async probe(): Promise<void> {
    probeSqlite(this.db);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
