import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { applySqliteMigrations } from './applySqliteMigrations';
import type { CampaignStore } from './campaignStore';
import { SqliteCampaignStore } from './sqliteCampaignStore';
import type {
  AlertState,
  AuditEntry,
  BotStore,
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

/**
 * `BotStore` on an embedded SQLite file (better-sqlite3, WAL): the default for one instance.
 * better-sqlite3 is synchronous; the methods are async only to keep the interface portable.
 */
export class SqliteBotStore implements BotStore {
  private readonly campaigns: SqliteCampaignStore;

  private constructor(private readonly db: Database.Database) {
    this.campaigns = new SqliteCampaignStore(db);
  }

  // Reminder campaigns (src/store/sqliteCampaignStore.ts).
  createCampaign: CampaignStore['createCampaign'] = (c) => this.campaigns.createCampaign(c);
  getCampaign: CampaignStore['getCampaign'] = (id) => this.campaigns.getCampaign(id);
  listCampaigns: CampaignStore['listCampaigns'] = (o) => this.campaigns.listCampaigns(o);
  transitionCampaign: CampaignStore['transitionCampaign'] = (id, from, to, at) =>
    this.campaigns.transitionCampaign(id, from, to, at);
  setProgressCard: CampaignStore['setProgressCard'] = (id, card) => this.campaigns.setProgressCard(id, card);
  completeCampaignIfDrained: CampaignStore['completeCampaignIfDrained'] = (id, at) =>
    this.campaigns.completeCampaignIfDrained(id, at);
  campaignCounts: CampaignStore['campaignCounts'] = (id) => this.campaigns.campaignCounts(id);
  listOutbox: CampaignStore['listOutbox'] = (id, o) => this.campaigns.listOutbox(id, o);
  claimOutbox: CampaignStore['claimOutbox'] = (o) => this.campaigns.claimOutbox(o);
  markSending: CampaignStore['markSending'] = (c, r, o, at) => this.campaigns.markSending(c, r, o, at);
  finishOutbox: CampaignStore['finishOutbox'] = (c, r, o, out, at) =>
    this.campaigns.finishOutbox(c, r, o, out, at);
  releaseOutbox: CampaignStore['releaseOutbox'] = (c, r, o, at) => this.campaigns.releaseOutbox(c, r, o, at);
  recoverOutbox: CampaignStore['recoverOutbox'] = (o) => this.campaigns.recoverOutbox(o);
  requeueFailed: CampaignStore['requeueFailed'] = (id, at) => this.campaigns.requeueFailed(id, at);
  reserveReminder: CampaignStore['reserveReminder'] = (r, c, at, since) =>
    this.campaigns.reserveReminder(r, c, at, since);
  releaseReminder: CampaignStore['releaseReminder'] = (r, c) => this.campaigns.releaseReminder(r, c);
  findPersonalConversation: CampaignStore['findPersonalConversation'] = (id) =>
    this.campaigns.findPersonalConversation(id);
  saveSchedule: CampaignStore['saveSchedule'] = (s) => this.campaigns.saveSchedule(s);
  listSchedules: CampaignStore['listSchedules'] = () => this.campaigns.listSchedules();
  deleteSchedule: CampaignStore['deleteSchedule'] = (id) => this.campaigns.deleteSchedule(id);
  claimJobRun: CampaignStore['claimJobRun'] = (n, d, o) => this.campaigns.claimJobRun(n, d, o);

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

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
