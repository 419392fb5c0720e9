import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { applySqliteMigrations } from './applySqliteMigrations';
import { CampaignStoreDelegate } from './campaignStoreDelegate';
import { SqliteCampaignStore } from './sqliteCampaignStore';
import type {
  AlertState,
  AuditEntry,
  BotStore,
  OnboardingPlanStatus,
  StoredOnboardingPlan,
  Escalation,
  RolloutSnapshot,
  StoredConversation,
  StoredConversationScope,
} from './botStore';

interface SnapshotRow {
  day: string;
  taken_at: string;
  total: number;
  applicable: number;
  by_verdict: string;
  percent_compliant: number;
  top_reasons: string;
}

interface AlertRow {
  key: string;
  healthy: number;
  problems: string;
  since: string;
  checked_at: string;
  alert_conversation_id: string | null;
  alert_activity_id: string | null;
  alerted_at: string | null;
}

interface ConversationRow {
  conversation_id: string;
  scope: StoredConversationScope;
  tenant_id: string | null;
  team_id: string | null;
  aad_object_id: string | null;
  reference: string;
  first_seen: string;
  last_seen: string;
}

interface AuditRow {
  id: number;
  at: string;
  actor_teams_id: string;
  actor_aad_object_id: string | null;
  actor_name: string | null;
  action: string;
  target: string | null;
  outcome: string;
  details: string;
}

/** How long a stored onboarding plan is kept (it can be applied for an hour only). */
const PLAN_RETENTION_MS = 7 * 86_400_000;

interface PlanRow {
  id: string;
  created_at: string;
  actor_teams_id: string;
  actor_aad_object_id: string | null;
  actor_name: string | null;
  target: string;
  plan: string;
  status: OnboardingPlanStatus;
  updated_at: string;
}

const toPlan = (r: PlanRow): StoredOnboardingPlan => ({
  id: r.id,
  createdAt: r.created_at,
  actor: { teamsUserId: r.actor_teams_id, aadObjectId: r.actor_aad_object_id, name: r.actor_name },
  target: r.target,
  plan: JSON.parse(r.plan) as Record<string, unknown>,
  status: r.status,
  updatedAt: r.updated_at,
});

interface EscalationRow {
  id: number;
  user_key: string;
  day: string;
  status: Escalation['status'];
  created_at: string;
  user_name: string | null;
  user_upn: string | null;
  conversation_id: string | null;
  activity_id: string | null;
}

const toEscalation = (r: EscalationRow): Escalation => ({
  id: r.id,
  userKey: r.user_key,
  day: r.day,
  status: r.status,
  createdAt: r.created_at,
  userName: r.user_name,
  userUpn: r.user_upn,
  posted: r.conversation_id ? { conversationId: r.conversation_id, activityId: r.activity_id } : null,
});

const toAudit = (r: AuditRow): AuditEntry => ({
  id: r.id,
  at: r.at,
  actor: { teamsUserId: r.actor_teams_id, aadObjectId: r.actor_aad_object_id, name: r.actor_name },
  action: r.action,
  target: r.target,
  outcome: r.outcome,
  details: JSON.parse(r.details) as Record<string, unknown>,
});

const toSnapshot = (r: SnapshotRow): RolloutSnapshot => ({
  day: r.day,
  takenAt: r.taken_at,
  total: r.total,
  applicable: r.applicable,
  byVerdict: JSON.parse(r.by_verdict) as Record<string, number>,
  percentCompliant: r.percent_compliant,
  topReasons: JSON.parse(r.top_reasons) as RolloutSnapshot['topReasons'],
});

const toConversation = (r: ConversationRow): StoredConversation => ({
  conversationId: r.conversation_id,
  scope: r.scope,
  tenantId: r.tenant_id,
  teamId: r.team_id,
  aadObjectId: r.aad_object_id,
  reference: JSON.parse(r.reference) as Record<string, unknown>,
  firstSeen: r.first_seen,
  lastSeen: r.last_seen,
});

/** Job-run claims older than this are deleted as new ones are taken (the table stays small). */
const JOB_RUN_RETENTION_MS = 30 * 86_400_000;

/**
 * `BotStore` on an embedded SQLite file (better-sqlite3, WAL): the default for one instance.
 * better-sqlite3 is synchronous; the methods are async only to keep the interface portable.
 */
export class SqliteBotStore extends CampaignStoreDelegate implements BotStore {
  // Reminder campaigns: src/store/sqliteCampaignStore.ts (delegated by CampaignStoreDelegate).
  protected readonly campaigns: SqliteCampaignStore;

  private constructor(private readonly db: Database.Database) {
    super();
    this.campaigns = new SqliteCampaignStore(db);
  }

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
         VALUES (@day, @takenAt, @total, @applicable, @byVerdict, @percentCompliant, @topReasons)
         ON CONFLICT (day) DO UPDATE SET taken_at = excluded.taken_at, total = excluded.total,
           applicable = excluded.applicable, by_verdict = excluded.by_verdict,
           percent_compliant = excluded.percent_compliant, top_reasons = excluded.top_reasons`,
      )
      .run({
        ...s,
        byVerdict: JSON.stringify(s.byVerdict),
        topReasons: JSON.stringify(s.topReasons),
      });
  }

  async getSnapshot(day: string): Promise<RolloutSnapshot | null> {
    const row = this.db.prepare('SELECT * FROM rollout_snapshots WHERE day = ?').get(day) as
      SnapshotRow | undefined;
    return row ? toSnapshot(row) : null;
  }

  async listSnapshots(opts: { toDay: string; limit: number }): Promise<RolloutSnapshot[]> {
    const rows = this.db
      .prepare('SELECT * FROM rollout_snapshots WHERE day <= ? ORDER BY day DESC LIMIT ?')
      .all(opts.toDay, Math.max(0, Math.floor(opts.limit))) as SnapshotRow[];
    return rows.reverse().map(toSnapshot);
  }

  async getAlertState(key: string): Promise<AlertState | null> {
    const r = this.db.prepare('SELECT * FROM alert_state WHERE key = ?').get(key) as AlertRow | undefined;
    if (!r) return null;
    return {
      key: r.key,
      healthy: r.healthy === 1,
      problems: JSON.parse(r.problems) as string[],
      since: r.since,
      checkedAt: r.checked_at,
      alert:
        r.alert_conversation_id && r.alerted_at
          ? { conversationId: r.alert_conversation_id, activityId: r.alert_activity_id, at: r.alerted_at }
          : null,
    };
  }

  async saveAlertState(s: AlertState): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO alert_state (key, healthy, problems, since, checked_at, alert_conversation_id,
           alert_activity_id, alerted_at)
         VALUES (@key, @healthy, @problems, @since, @checkedAt, @conversationId, @activityId, @alertedAt)
         ON CONFLICT (key) DO UPDATE SET healthy = excluded.healthy, problems = excluded.problems,
           since = excluded.since, checked_at = excluded.checked_at,
           alert_conversation_id = excluded.alert_conversation_id,
           alert_activity_id = excluded.alert_activity_id, alerted_at = excluded.alerted_at`,
      )
      .run({
        key: s.key,
        healthy: s.healthy ? 1 : 0,
        problems: JSON.stringify(s.problems),
        since: s.since,
        checkedAt: s.checkedAt,
        conversationId: s.alert?.conversationId ?? null,
        activityId: s.alert?.activityId ?? null,
        alertedAt: s.alert?.at ?? null,
      });
  }

  async saveConversation(
    c: Omit<StoredConversation, 'firstSeen' | 'lastSeen'> & { seenAt: string },
  ): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO conversations (conversation_id, scope, tenant_id, team_id, aad_object_id, reference,
           first_seen, last_seen)
         VALUES (@conversationId, @scope, @tenantId, @teamId, @aadObjectId, @reference, @seenAt, @seenAt)
         ON CONFLICT (conversation_id) DO UPDATE SET scope = excluded.scope, tenant_id = excluded.tenant_id,
           team_id = excluded.team_id, aad_object_id = excluded.aad_object_id,
           reference = excluded.reference, last_seen = excluded.last_seen`,
      )
      .run({
        conversationId: c.conversationId,
        scope: c.scope,
        tenantId: c.tenantId,
        teamId: c.teamId,
        aadObjectId: c.aadObjectId,
        reference: JSON.stringify(c.reference),
        seenAt: c.seenAt,
      });
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
      .run(
        e.at,
        e.actor.teamsUserId,
        e.actor.aadObjectId,
        e.actor.name,
        e.action,
        e.target,
        e.outcome,
        JSON.stringify(e.details),
      );
    return Number(info.lastInsertRowid);
  }

  async listAudit(opts: { limit: number; beforeId?: number; action?: string }): Promise<AuditEntry[]> {
    const rows = this.db
      .prepare(`SELECT * FROM audit_log WHERE id < ? AND (? IS NULL OR action = ?) ORDER BY id DESC LIMIT ?`)
      .all(
        opts.beforeId ?? Number.MAX_SAFE_INTEGER,
        opts.action ?? null,
        opts.action ?? null,
        Math.max(0, Math.floor(opts.limit)),
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
      .run(
        p.id,
        p.createdAt,
        p.actor.teamsUserId,
        p.actor.aadObjectId,
        p.actor.name,
        p.target,
        JSON.stringify(p.plan),
        p.createdAt,
      );
    const weekBefore = new Date(Date.parse(p.createdAt) - PLAN_RETENTION_MS).toISOString();
    this.db.prepare('DELETE FROM onboarding_plans WHERE created_at < ?').run(weekBefore);
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

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
