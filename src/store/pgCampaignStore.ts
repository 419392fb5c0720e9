import type { Pool, PoolClient } from 'pg';
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
import type { CampaignRow, ConversationRow, OutboxCountRow, OutboxDbRow, ScheduleRow } from './rowMappers';
import { toCampaign, toCampaignCounts, toOutbox, toPersonalConversation, toSchedule } from './rowMappers';
import type { PersonalConversation } from './ports/personalConversations';
import { limitOf } from './limitOf';
import { campaignParams, scheduleParams } from './rowParams';

/** A row this owner still holds (claimed, or being sent). */
const HELD = `campaign_id = $1 AND recipient_id = $2 AND state IN ('claimed', 'sending') AND lease_owner = $3`;

/**
 * `CampaignStore` on PostgreSQL, for several instances sharing one database. The same state
 * machine as `SqliteCampaignStore`, statement for statement: every transition is one conditional
 * `UPDATE … WHERE <expected state and owner>`, and a claim takes due rows with
 * `FOR UPDATE SKIP LOCKED`, so concurrent instances never get the same row and never wait on
 * each other's claims. Instants are `timestamptz` (compared as instants, not text); ids are
 * ordered `COLLATE "C"` (SQLite's byte order, whatever the database's collation).
 */
/** Which rows a resend puts back. */
type RequeueFrom = { state: 'failed' } | { state: 'in_doubt'; asOf: string };

export class PgCampaignStore implements CampaignStore {
  constructor(
    protected readonly pool: Pool,
    /** The schema migration: resolves with the versions it applied; every call waits for it. */
    protected readonly migrated: Promise<number[]>,
  ) {}

  protected async query<R extends object>(sql: string, params: unknown[] = []): Promise<R[]> {
    await this.migrated;
    return (await this.pool.query<R>(sql, params)).rows;
  }

  /** `begin`: the statement that opens it, e.g. `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`. */
  protected async transaction<T>(fn: (client: PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    await this.migrated;
    const client = await this.pool.connect();
    try {
      await client.query(begin);
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async createCampaign(c: NewCampaign): Promise<Campaign> {
    await this.transaction(async (client) => {
      await client.query(
        `INSERT INTO campaigns (id, created_at, created_by, audience, group_name, deadline, state, schedule_id,
           updated_at) VALUES ($1, $2, $3::json, $4, $5, $6, 'running', $7, $2)`,
        campaignParams(c),
      );
      // One statement for the whole audience (5,000 rows in one round trip); a repeated
      // recipient keeps its first row, like SQLite's INSERT OR IGNORE.
      await client.query(
        `INSERT INTO campaign_outbox (campaign_id, recipient_id, seq, recipient, state, updated_at)
         SELECT $1, r.value ->> 'recipientId', (r.ord - 1)::integer, r.value, 'pending', $3
           FROM json_array_elements($2::json) WITH ORDINALITY AS r (value, ord)
           ORDER BY r.ord
         ON CONFLICT (campaign_id, recipient_id) DO NOTHING`,
        [c.id, JSON.stringify(c.recipients), c.createdAt],
      );
    });
    return (await this.getCampaign(c.id))!;
  }

  async getCampaign(id: string): Promise<Campaign | null> {
    const [r] = await this.query<CampaignRow>('SELECT * FROM campaigns WHERE id = $1', [id]);
    return r ? toCampaign(r) : null;
  }

  async listCampaigns(opts: { limit: number }): Promise<Campaign[]> {
    const rows = await this.query<CampaignRow>(
      'SELECT * FROM campaigns ORDER BY created_at DESC, id COLLATE "C" DESC LIMIT $1',
      [limitOf(opts.limit)],
    );
    return rows.map(toCampaign);
  }

  async transitionCampaign(
    id: string,
    from: CampaignState[],
    to: CampaignState,
    at: string,
  ): Promise<boolean> {
    // One statement: the campaign moves and (on cancel) its pending rows are skipped together.
    const [r] = await this.query<{ moved: string }>(
      `WITH moved AS (
         UPDATE campaigns SET state = $2, updated_at = $3,
             finished_at = CASE WHEN $2::text IN ('done', 'cancelled') THEN $3::timestamptz ELSE NULL END
           WHERE id = $1 AND state = ANY ($4::text[])
           RETURNING id),
       skipped AS (
         UPDATE campaign_outbox SET state = 'skipped', reason = 'cancelled', updated_at = $3
           WHERE campaign_id IN (SELECT id FROM moved) AND $2::text = 'cancelled' AND state = 'pending')
       SELECT count(*) AS moved FROM moved`,
      [id, to, at, from],
    );
    return Number(r?.moved ?? 0) > 0;
  }

  async setProgressCard(id: string, card: { conversationId: string; activityId: string }): Promise<void> {
    await this.query(
      'UPDATE campaigns SET progress_conversation_id = $2, progress_activity_id = $3 WHERE id = $1',
      [id, card.conversationId, card.activityId],
    );
  }

  async completeCampaignIfDrained(id: string, at: string): Promise<boolean> {
    const rows = await this.query(
      `UPDATE campaigns SET state = 'done', updated_at = $2, finished_at = $2
         WHERE id = $1 AND state = 'running' AND NOT EXISTS (
           SELECT 1 FROM campaign_outbox WHERE campaign_id = $1 AND state IN ('pending', 'claimed', 'sending'))
         RETURNING id`,
      [id, at],
    );
    return rows.length > 0;
  }

  async campaignCounts(id: string): Promise<CampaignCounts> {
    const rows = await this.query<OutboxCountRow>(
      `SELECT state, reason, resent_at IS NOT NULL AS resent, count(*) AS n FROM campaign_outbox
         WHERE campaign_id = $1 GROUP BY 1, 2, 3`,
      [id],
    );
    return toCampaignCounts(rows);
  }

  async listOutbox(campaignId: string, opts: ListOutboxOptions): Promise<OutboxRow[]> {
    const states = opts.states ?? [];
    const rows = await this.query<OutboxDbRow>(
      `SELECT * FROM campaign_outbox
         WHERE campaign_id = $1 AND seq > $2 AND (cardinality($3::text[]) = 0 OR state = ANY ($3::text[]))
         ORDER BY seq LIMIT $4`,
      [campaignId, opts.afterSeq ?? -1, states, limitOf(opts.limit)],
    );
    return rows.map(toOutbox);
  }

  async claimOutbox(opts: ClaimOutboxOptions): Promise<OutboxRow[]> {
    // SKIP LOCKED: rows another instance is claiming at this moment are passed over, not waited
    // for. MATERIALIZED: the pick runs once (a sub-select in `IN` may be re-run per outer row,
    // and each run with SKIP LOCKED could pick other rows: more than `limit`).
    const rows = await this.query<OutboxDbRow>(
      `WITH picked AS MATERIALIZED (
         SELECT o.campaign_id, o.recipient_id FROM campaign_outbox o JOIN campaigns c ON c.id = o.campaign_id
           WHERE o.state = 'pending' AND c.state = 'running' AND (o.not_before IS NULL OR o.not_before <= $3)
           ORDER BY c.created_at, o.campaign_id COLLATE "C", o.seq
           LIMIT $4
           FOR UPDATE OF o SKIP LOCKED)
       UPDATE campaign_outbox SET state = 'claimed', lease_owner = $1, lease_until = $2, updated_at = $3
         WHERE (campaign_id, recipient_id) IN (SELECT campaign_id, recipient_id FROM picked)
           AND state = 'pending'
         RETURNING *`,
      [opts.owner, opts.leaseUntil, opts.now, limitOf(opts.limit)],
    );
    return rows.map(toOutbox).sort((a, b) => a.seq - b.seq);
  }

  async renewLeases(
    owner: string,
    rows: readonly OutboxKey[],
    leaseUntil: string,
    at: string,
  ): Promise<number> {
    if (rows.length === 0) return 0;
    const renewed = await this.query(
      `UPDATE campaign_outbox o SET lease_until = $2, updated_at = $3
         FROM unnest($4::text[], $5::text[]) AS k (campaign_id, recipient_id)
         WHERE o.campaign_id = k.campaign_id AND o.recipient_id = k.recipient_id
           AND o.lease_owner = $1 AND o.state IN ('claimed', 'sending')
         RETURNING 1`,
      [owner, leaseUntil, at, rows.map((r) => r.campaignId), rows.map((r) => r.recipientId)],
    );
    return renewed.length;
  }

  async markSending(campaignId: string, recipientId: string, owner: string, at: string): Promise<boolean> {
    const rows = await this.query(
      `UPDATE campaign_outbox SET state = 'sending', updated_at = $4
         WHERE campaign_id = $1 AND recipient_id = $2 AND state = 'claimed' AND lease_owner = $3
         RETURNING 1`,
      [campaignId, recipientId, owner, at],
    );
    return rows.length > 0;
  }

  async finishOutbox(
    campaignId: string,
    recipientId: string,
    owner: string,
    outcome: OutboxOutcome,
    at: string,
  ): Promise<boolean> {
    const base = [campaignId, recipientId, owner, at];
    let rows: object[];
    switch (outcome.state) {
      case 'sent':
        rows = await this.query(
          `UPDATE campaign_outbox SET state = 'sent', reason = NULL, detail = NULL, lease_owner = NULL,
             lease_until = NULL, conversation_id = $5, activity_id = $6, updated_at = $4
           WHERE ${HELD} RETURNING 1`,
          [...base, outcome.conversationId, outcome.activityId],
        );
        break;
      case 'failed':
      case 'skipped':
      case 'in_doubt':
        rows = await this.query(
          `UPDATE campaign_outbox SET state = $5, reason = $6, detail = $7,
             lease_owner = NULL, lease_until = NULL, updated_at = $4
           WHERE ${HELD} RETURNING 1`,
          [...base, outcome.state, outcome.reason, outcome.detail ?? null],
        );
        break;
      case 'pending':
        rows = await this.query(
          `UPDATE campaign_outbox SET state = 'pending', not_before = $5,
             attempts = COALESCE($6::integer, attempts), throttles = COALESCE($7::integer, throttles),
             detail = COALESCE($8::text, detail), lease_owner = NULL, lease_until = NULL, updated_at = $4
           WHERE ${HELD} RETURNING 1`,
          [
            ...base,
            outcome.notBefore,
            outcome.attempts ?? null,
            outcome.throttles ?? null,
            outcome.detail ?? null,
          ],
        );
        break;
    }
    return rows.length > 0;
  }

  async releaseOutbox(campaignId: string, recipientId: string, owner: string, at: string): Promise<void> {
    // Back to pending; a cancelled campaign's released row is skipped like its other pending rows.
    await this.query(
      `UPDATE campaign_outbox o SET lease_owner = NULL, lease_until = NULL, updated_at = $4,
           state = CASE WHEN c.state = 'cancelled' THEN 'skipped' ELSE 'pending' END,
           reason = CASE WHEN c.state = 'cancelled' THEN 'cancelled' ELSE o.reason END
         FROM campaigns c
         WHERE c.id = o.campaign_id AND o.campaign_id = $1 AND o.recipient_id = $2
           AND o.state = 'claimed' AND o.lease_owner = $3`,
      [campaignId, recipientId, owner, at],
    );
  }

  async recoverOutbox(opts: RecoverOutboxOptions): Promise<{ requeued: number; inDoubt: number }> {
    const abandoned = opts.takeOverAll
      ? `(lease_owner IS NULL OR lease_owner <> $1)`
      : `(lease_until IS NULL OR lease_until < $2)`;
    const [r] = await this.query<{ requeued: string; in_doubt: string }>(
      `WITH requeued AS (
         UPDATE campaign_outbox SET state = 'pending', lease_owner = NULL, lease_until = NULL, updated_at = $2
           WHERE state = 'claimed' AND ${abandoned} RETURNING 1),
       in_doubt AS (
         UPDATE campaign_outbox SET state = 'in_doubt', reason = 'crashed_mid_send',
             detail = 'the process stopped during this send: it may or may not have arrived',
             lease_owner = NULL, lease_until = NULL, updated_at = $2
           WHERE state = 'sending' AND ${abandoned} RETURNING 1)
       SELECT (SELECT count(*) FROM requeued) AS requeued, (SELECT count(*) FROM in_doubt) AS in_doubt
         WHERE $1::text IS NOT NULL`,
      [opts.owner, opts.now],
    );
    return { requeued: Number(r?.requeued ?? 0), inDoubt: Number(r?.in_doubt ?? 0) };
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
  private async requeue(campaignId: string, at: string, from: RequeueFrom): Promise<number> {
    const inDoubt = from.state === 'in_doubt';
    const [r] = await this.query<{ n: string }>(
      `WITH requeued AS (
         UPDATE campaign_outbox SET state = 'pending', reason = NULL, detail = NULL, attempts = 0,
             throttles = 0, not_before = NULL, updated_at = $2${inDoubt ? ', resent_at = $2' : ''}
           WHERE campaign_id = $1 AND state = $3
             ${inDoubt ? 'AND resent_at IS NULL AND updated_at <= $4' : ''}
           RETURNING 1),
       rerun AS (
         UPDATE campaigns SET state = 'running', finished_at = NULL, updated_at = $2
           WHERE id = $1 AND state IN ('done', 'paused', 'running') AND EXISTS (SELECT 1 FROM requeued))
       SELECT count(*) AS n FROM requeued`,
      inDoubt ? [campaignId, at, from.state, from.asOf] : [campaignId, at, from.state],
    );
    return Number(r?.n ?? 0);
  }

  async reserveReminder(
    recipientId: string,
    campaignId: string,
    at: string,
    since: string,
  ): Promise<boolean> {
    // Two instances reserving the same person for two campaigns at once: the transaction-level
    // advisory lock on the person makes the check-then-insert one step.
    return this.transaction(async (client) => {
      await client.query(`SELECT pg_advisory_xact_lock(hashtext('reminder:' || $1))`, [recipientId]);
      const other = await client.query(
        `SELECT 1 FROM reminder_history
           WHERE recipient_id = $1 AND campaign_id <> $2 AND reminded_at >= $3 LIMIT 1`,
        [recipientId, campaignId, since],
      );
      if (other.rows.length > 0) return false;
      await client.query(
        `INSERT INTO reminder_history (recipient_id, campaign_id, reminded_at) VALUES ($1, $2, $3)
           ON CONFLICT (recipient_id, campaign_id) DO NOTHING`,
        [recipientId, campaignId, at],
      );
      return true;
    });
  }

  async releaseReminder(recipientId: string, campaignId: string): Promise<void> {
    await this.query('DELETE FROM reminder_history WHERE recipient_id = $1 AND campaign_id = $2', [
      recipientId,
      campaignId,
    ]);
  }

  async findPersonalConversation(aadObjectId: string): Promise<PersonalConversation | null> {
    const [r] = await this.query<
      Pick<ConversationRow, 'conversation_id' | 'reference' | 'locale' | 'time_zone'>
    >(
      `SELECT conversation_id, reference, locale, time_zone FROM conversations
         WHERE scope = 'personal' AND aad_object_id = $1 ORDER BY last_seen DESC LIMIT 1`,
      [aadObjectId],
    );
    return r ? toPersonalConversation(r) : null;
  }

  async saveSchedule(s: CampaignSchedule): Promise<void> {
    await this.query(
      `INSERT INTO campaign_schedules (id, cron, time_zone, audience, group_name, deadline_days,
           conversation_id, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::json)
         ON CONFLICT (id) DO UPDATE SET cron = excluded.cron, time_zone = excluded.time_zone,
           audience = excluded.audience, group_name = excluded.group_name,
           deadline_days = excluded.deadline_days, conversation_id = excluded.conversation_id`,
      scheduleParams(s),
    );
  }

  async listSchedules(): Promise<CampaignSchedule[]> {
    const rows = await this.query<ScheduleRow>(
      'SELECT * FROM campaign_schedules ORDER BY created_at, id COLLATE "C"',
    );
    return rows.map(toSchedule);
  }

  async deleteSchedule(id: string): Promise<boolean> {
    return (await this.query('DELETE FROM campaign_schedules WHERE id = $1 RETURNING 1', [id])).length > 0;
  }
}
