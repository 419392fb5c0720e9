import type Database from 'better-sqlite3';
import type {
  Campaign,
  CampaignCounts,
  CampaignSchedule,
  CampaignState,
  NewCampaign,
  OutboxOutcome,
  OutboxRow,
} from '../compliance/campaignTypes';
import type { CampaignStore } from './campaignStore';
import type {
  ClaimOutboxOptions,
  ListOutboxOptions,
  OutboxKey,
  RecoverOutboxOptions,
} from './ports/outboxQueue';
import type { CampaignRow, OutboxCountRow, OutboxDbRow, ScheduleRow } from './rowMappers';
import { toCampaign, toCampaignCounts, toOutbox, toPersonalConversation, toSchedule } from './rowMappers';
import type { PersonalConversation } from './ports/personalConversations';
import { limitOf } from './limitOf';
import { campaignParams, scheduleParams } from './rowParams';

/**
 * `CampaignStore` on SQLite. Every state change is a single `UPDATE … WHERE <expected state>`
 * (a claim is `UPDATE … WHERE rowid IN (SELECT … LIMIT n) RETURNING *`), so the same statements
 * carry over to PostgreSQL (`FOR UPDATE SKIP LOCKED` in the sub-select).
 */
/** Which rows a resend puts back. */
type RequeueFrom = { state: 'failed' } | { state: 'in_doubt'; asOf: string };

export class SqliteCampaignStore implements CampaignStore {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(protected readonly db: Database.Database) {}

  /** Prepared once per SQL text: the dispatcher runs the same few statements per recipient. */
  protected prepare(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  async createCampaign(c: NewCampaign): Promise<Campaign> {
    const insertCampaign = this.prepare(
      `INSERT INTO campaigns (id, created_at, created_by, audience, group_name, deadline, state, schedule_id,
         updated_at) VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?)`,
    );
    const insertRow = this.prepare(
      `INSERT OR IGNORE INTO campaign_outbox (campaign_id, recipient_id, seq, recipient, state, updated_at)
       VALUES (?, ?, ?, ?, 'pending', ?)`,
    );
    this.db.transaction(() => {
      insertCampaign.run(...campaignParams(c), c.createdAt);
      c.recipients.forEach((r, i) => insertRow.run(c.id, r.recipientId, i, JSON.stringify(r), c.createdAt));
    })();
    return (await this.getCampaign(c.id))!;
  }

  async getCampaign(id: string): Promise<Campaign | null> {
    const r = this.prepare('SELECT * FROM campaigns WHERE id = ?').get(id) as CampaignRow | undefined;
    return r ? toCampaign(r) : null;
  }

  async listCampaigns(opts: { limit: number }): Promise<Campaign[]> {
    const rows = this.prepare('SELECT * FROM campaigns ORDER BY created_at DESC, id DESC LIMIT ?').all(
      limitOf(opts.limit),
    ) as CampaignRow[];
    return rows.map(toCampaign);
  }

  async transitionCampaign(
    id: string,
    from: CampaignState[],
    to: CampaignState,
    at: string,
  ): Promise<boolean> {
    return this.db.transaction(() => {
      const placeholders = from.map(() => '?').join(', ');
      const info = this.prepare(
        `UPDATE campaigns SET state = ?, updated_at = ?,
             finished_at = CASE WHEN ? IN ('done', 'cancelled') THEN ? ELSE NULL END
           WHERE id = ? AND state IN (${placeholders})`,
      ).run(to, at, to, at, id, ...from);
      if (info.changes === 0) return false;
      if (to === 'cancelled') {
        this.db
          .prepare(
            `UPDATE campaign_outbox SET state = 'skipped', reason = 'cancelled', updated_at = ?
             WHERE campaign_id = ? AND state = 'pending'`,
          )
          .run(at, id);
      }
      return true;
    })();
  }

  async setProgressCard(id: string, card: { conversationId: string; activityId: string }): Promise<void> {
    this.prepare(
      'UPDATE campaigns SET progress_conversation_id = ?, progress_activity_id = ? WHERE id = ?',
    ).run(card.conversationId, card.activityId, id);
  }

  async completeCampaignIfDrained(id: string, at: string): Promise<boolean> {
    const info = this.prepare(
      `UPDATE campaigns SET state = 'done', updated_at = ?, finished_at = ?
         WHERE id = ? AND state = 'running' AND NOT EXISTS (
           SELECT 1 FROM campaign_outbox WHERE campaign_id = ? AND state IN ('pending', 'claimed', 'sending'))`,
    ).run(at, at, id, id);
    return info.changes > 0;
  }

  async campaignCounts(id: string): Promise<CampaignCounts> {
    const rows = this.prepare(
      `SELECT state, reason, resent_at IS NOT NULL AS resent, COUNT(*) AS n FROM campaign_outbox
         WHERE campaign_id = ? GROUP BY 1, 2, 3`,
    ).all(id) as OutboxCountRow[];
    return toCampaignCounts(rows);
  }

  async listOutbox(campaignId: string, opts: ListOutboxOptions): Promise<OutboxRow[]> {
    const states = opts.states ?? [];
    const stateFilter = states.length ? `AND state IN (${states.map(() => '?').join(', ')})` : '';
    const rows = this.prepare(
      `SELECT * FROM campaign_outbox WHERE campaign_id = ? AND seq > ? ${stateFilter} ORDER BY seq LIMIT ?`,
    ).all(campaignId, opts.afterSeq ?? -1, ...states, limitOf(opts.limit)) as OutboxDbRow[];
    return rows.map(toOutbox);
  }

  async claimOutbox(opts: ClaimOutboxOptions): Promise<OutboxRow[]> {
    const rows = this.prepare(
      `UPDATE campaign_outbox SET state = 'claimed', lease_owner = ?, lease_until = ?, updated_at = ?
         WHERE rowid IN (
           SELECT o.rowid FROM campaign_outbox o JOIN campaigns c ON c.id = o.campaign_id
           WHERE o.state = 'pending' AND c.state = 'running' AND (o.not_before IS NULL OR o.not_before <= ?)
           ORDER BY c.created_at, o.campaign_id, o.seq LIMIT ?)
         AND state = 'pending'
         RETURNING *`,
    ).all(opts.owner, opts.leaseUntil, opts.now, opts.now, limitOf(opts.limit)) as OutboxDbRow[];
    return rows.map(toOutbox).sort((a, b) => a.seq - b.seq);
  }

  async renewLeases(
    owner: string,
    rows: readonly OutboxKey[],
    leaseUntil: string,
    at: string,
  ): Promise<number> {
    const renew = this.prepare(
      `UPDATE campaign_outbox SET lease_until = ?, updated_at = ?
         WHERE campaign_id = ? AND recipient_id = ? AND lease_owner = ? AND state IN ('claimed', 'sending')`,
    );
    return this.db.transaction(() =>
      rows.reduce((n, r) => n + renew.run(leaseUntil, at, r.campaignId, r.recipientId, owner).changes, 0),
    )();
  }

  async markSending(campaignId: string, recipientId: string, owner: string, at: string): Promise<boolean> {
    const info = this.prepare(
      `UPDATE campaign_outbox SET state = 'sending', updated_at = ?
         WHERE campaign_id = ? AND recipient_id = ? AND state = 'claimed' AND lease_owner = ?`,
    ).run(at, campaignId, recipientId, owner);
    return info.changes > 0;
  }

  async finishOutbox(
    campaignId: string,
    recipientId: string,
    owner: string,
    outcome: OutboxOutcome,
    at: string,
  ): Promise<boolean> {
    const where = `WHERE campaign_id = @campaignId AND recipient_id = @recipientId
      AND state IN ('claimed', 'sending') AND lease_owner = @owner`;
    const base = { campaignId, recipientId, owner, at };
    let info: Database.RunResult;
    switch (outcome.state) {
      case 'sent':
        info = this.db
          .prepare(
            `UPDATE campaign_outbox SET state = 'sent', reason = NULL, detail = NULL, lease_owner = NULL,
               lease_until = NULL, conversation_id = @conversationId, activity_id = @activityId,
               updated_at = @at ${where}`,
          )
          .run({ ...base, conversationId: outcome.conversationId, activityId: outcome.activityId });
        break;
      case 'failed':
      case 'skipped':
      case 'in_doubt':
        info = this.db
          .prepare(
            `UPDATE campaign_outbox SET state = @state, reason = @reason, detail = @detail,
               lease_owner = NULL, lease_until = NULL, updated_at = @at ${where}`,
          )
          .run({ ...base, state: outcome.state, reason: outcome.reason, detail: outcome.detail ?? null });
        break;
      case 'pending':
        info = this.db
          .prepare(
            `UPDATE campaign_outbox SET state = 'pending', not_before = @notBefore,
               attempts = COALESCE(@attempts, attempts), throttles = COALESCE(@throttles, throttles),
               detail = COALESCE(@detail, detail), lease_owner = NULL, lease_until = NULL, updated_at = @at
             ${where}`,
          )
          .run({
            ...base,
            notBefore: outcome.notBefore,
            attempts: outcome.attempts ?? null,
            throttles: outcome.throttles ?? null,
            detail: outcome.detail ?? null,
          });
        break;
    }
    return info.changes > 0;
  }

  async releaseOutbox(campaignId: string, recipientId: string, owner: string, at: string): Promise<void> {
    this.prepare(
      `UPDATE campaign_outbox SET state = 'pending', lease_owner = NULL, lease_until = NULL, updated_at = ?
         WHERE campaign_id = ? AND recipient_id = ? AND state = 'claimed' AND lease_owner = ?`,
    ).run(at, campaignId, recipientId, owner);
    // A cancelled campaign's released rows are skipped like the rest of its pending rows.
    this.prepare(
      `UPDATE campaign_outbox SET state = 'skipped', reason = 'cancelled', updated_at = ?
         WHERE campaign_id = ? AND recipient_id = ? AND state = 'pending'
           AND (SELECT state FROM campaigns WHERE id = ?) = 'cancelled'`,
    ).run(at, campaignId, recipientId, campaignId);
  }

  async recoverOutbox(opts: RecoverOutboxOptions): Promise<{ requeued: number; inDoubt: number }> {
    const abandoned = opts.takeOverAll
      ? `(lease_owner IS NULL OR lease_owner <> @owner)`
      : `(lease_until IS NULL OR lease_until < @now)`;
    return this.db.transaction(() => {
      const requeued = this.prepare(
        `UPDATE campaign_outbox SET state = 'pending', lease_owner = NULL, lease_until = NULL, updated_at = @now
           WHERE state = 'claimed' AND ${abandoned}`,
      ).run(opts).changes;
      const inDoubt = this.prepare(
        `UPDATE campaign_outbox SET state = 'in_doubt', reason = 'crashed_mid_send',
             detail = 'the process stopped during this send: it may or may not have arrived',
             lease_owner = NULL, lease_until = NULL, updated_at = @now
           WHERE state = 'sending' AND ${abandoned}`,
      ).run(opts).changes;
      return { requeued, inDoubt };
    })();
  }

  async requeueFailed(campaignId: string, at: string): Promise<number> {
    return this.requeue(campaignId, at, { state: 'failed' });
  }

  async requeueInDoubt(campaignId: string, asOf: string, at: string): Promise<number> {
    return this.requeue(campaignId, at, { state: 'in_doubt', asOf });
  }

  /**
   * A resend: rows of one state back to pending with fresh attempts and no reason or detail left
   * from before; the campaign runs again when any went back. In doubt: only rows in doubt by
   * `asOf` and never resent, marked `resent_at`.
   */
  private requeue(campaignId: string, at: string, from: RequeueFrom): number {
    const inDoubt = from.state === 'in_doubt';
    return this.db.transaction(() => {
      const n = this.prepare(
        `UPDATE campaign_outbox SET state = 'pending', reason = NULL, detail = NULL, attempts = 0,
             throttles = 0, not_before = NULL, updated_at = @at${inDoubt ? ', resent_at = @at' : ''}
           WHERE campaign_id = @campaignId AND state = @state
             ${inDoubt ? 'AND resent_at IS NULL AND updated_at <= @asOf' : ''}`,
      ).run(
        inDoubt
          ? { at, campaignId, state: from.state, asOf: from.asOf }
          : { at, campaignId, state: from.state },
      ).changes;
      if (n > 0) {
        this.prepare(
          `UPDATE campaigns SET state = 'running', finished_at = NULL, updated_at = ?
             WHERE id = ? AND state IN ('done', 'paused', 'running')`,
        ).run(at, campaignId);
      }
      return n;
    })();
  }

  async reserveReminder(
    recipientId: string,
    campaignId: string,
    at: string,
    since: string,
  ): Promise<boolean> {
    return this.db.transaction(() => {
      const other = this.prepare(
        `SELECT 1 FROM reminder_history WHERE recipient_id = ? AND campaign_id <> ? AND reminded_at >= ? LIMIT 1`,
      ).get(recipientId, campaignId, since);
      if (other) return false;
      this.prepare(
        `INSERT INTO reminder_history (recipient_id, campaign_id, reminded_at) VALUES (?, ?, ?)
           ON CONFLICT (recipient_id, campaign_id) DO NOTHING`,
      ).run(recipientId, campaignId, at);
      return true;
    })();
  }

  async releaseReminder(recipientId: string, campaignId: string): Promise<void> {
    this.prepare('DELETE FROM reminder_history WHERE recipient_id = ? AND campaign_id = ?').run(
      recipientId,
      campaignId,
    );
  }

  async findPersonalConversation(aadObjectId: string): Promise<PersonalConversation | null> {
    const r = this.prepare(
      `SELECT conversation_id, reference, locale, time_zone FROM conversations
         WHERE scope = 'personal' AND aad_object_id = ? ORDER BY last_seen DESC LIMIT 1`,
    ).get(aadObjectId) as Parameters<typeof toPersonalConversation>[0] | undefined;
    return r ? toPersonalConversation(r) : null;
  }

  async saveSchedule(s: CampaignSchedule): Promise<void> {
    this.prepare(
      `INSERT INTO campaign_schedules (id, cron, time_zone, audience, group_name, deadline_days,
           conversation_id, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET cron = excluded.cron, time_zone = excluded.time_zone,
           audience = excluded.audience, group_name = excluded.group_name,
           deadline_days = excluded.deadline_days, conversation_id = excluded.conversation_id`,
    ).run(...scheduleParams(s));
  }

  async listSchedules(): Promise<CampaignSchedule[]> {
    const rows = this.prepare(
      'SELECT * FROM campaign_schedules ORDER BY created_at, id',
    ).all() as ScheduleRow[];
    return rows.map(toSchedule);
  }

  async deleteSchedule(id: string): Promise<boolean> {
    return this.prepare('DELETE FROM campaign_schedules WHERE id = ?').run(id).changes > 0;
  }
}
