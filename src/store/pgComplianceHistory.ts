import { HISTORY_RETENTION_DAYS, nearbyReminderWindow } from '../compliance/campaignEffectiveness';
import {
  effectivenessInput,
  remindedMacIds,
  toFunnelRecipient,
  type FunnelRecipientRow,
  type SpellRow,
} from './complianceHistoryRows';
import type { ComplianceHistoryStore } from './ports/complianceHistoryStore';
import { spellCutoff } from './retention';
import { iso, type Instant } from './rowMappers';

/** Runs one statement on the store's pool (after its migrations). */
type Query = <R extends object>(sql: string, params?: unknown[]) => Promise<R[]>;

/**
 * `ComplianceHistoryStore` on PostgreSQL, statement for statement as on SQLite (see the port): a
 * batch is a few set-based statements over `unnest`ed arrays; the partial unique index on the open
 * spell makes "open unless open" safe when two instances observe the same Mac.
 */
export function pgComplianceHistory(query: Query): ComplianceHistoryStore {
  return {
    async recordComplianceObservations(observations, at, opts = {}) {
      const notCompliant = observations.filter((o) => !o.compliant);
      const compliant = observations.filter((o) => o.compliant);
      if (notCompliant.length) {
        await query(
          `INSERT INTO compliance_spells (jamf_id, user_id, since)
             SELECT j, u, $3::timestamptz FROM unnest($1::text[], $2::text[]) AS t (j, u)
             ON CONFLICT DO NOTHING`,
          [notCompliant.map((o) => o.jamfId), notCompliant.map((o) => o.userId), at],
        );
        if (opts.backfill)
          await query(
            `UPDATE compliance_spells SET since = $2
               WHERE jamf_id = ANY($1::text[]) AND until IS NULL AND since > $2`,
            [notCompliant.map((o) => o.jamfId), at],
          );
      }
      if (compliant.length) {
        const closed = await query<{ jamf_id: string }>(
          `UPDATE compliance_spells s SET until = $3, ended = 'compliant', user_id = COALESCE(t.u, s.user_id)
             FROM unnest($1::text[], $2::text[]) AS t (j, u)
             WHERE s.jamf_id = t.j AND s.until IS NULL AND s.since <= $3
             RETURNING s.jamf_id`,
          [compliant.map((o) => o.jamfId), compliant.map((o) => o.userId), at],
        );
        const done = new Set(closed.map((r) => r.jamf_id));
        const turned = compliant.filter((o) => o.turnedCompliant && !done.has(o.jamfId));
        if (turned.length) {
          await query(
            `INSERT INTO compliance_spells (jamf_id, user_id, since, until, ended)
               SELECT j, u, $3::timestamptz, $3::timestamptz, 'compliant' FROM unnest($1::text[], $2::text[]) AS t (j, u)`,
            [turned.map((o) => o.jamfId), turned.map((o) => o.userId), at],
          );
        }
      }
      if (opts.wholeFleet) {
        await query(
          `UPDATE compliance_spells SET until = $1, ended = 'gone'
             WHERE until IS NULL AND since <= $1 AND NOT (jamf_id = ANY($2::text[]))`,
          [at, observations.map((o) => o.jamfId)],
        );
        // Pruned once a day with the whole fleet, not on every change batch.
        await query('DELETE FROM compliance_spells WHERE until < $1', [
          spellCutoff(at, HISTORY_RETENTION_DAYS),
        ]);
      }
    },

    async recordReminderCheck(recipientId, ref, at) {
      const [row] = await query<{ campaign_id: string }>(
        `SELECT campaign_id FROM campaign_outbox
           WHERE recipient_id = $1 AND state IN ('sent', 'in_doubt') AND (campaign_id = $2 OR activity_id = $3)
           ORDER BY updated_at DESC LIMIT 1`,
        [recipientId, ref.campaignId ?? null, ref.activityId ?? null],
      );
      if (!row) return null;
      await query(
        `INSERT INTO reminder_checks (campaign_id, recipient_id, checked_at) VALUES ($1, $2, $3)
           ON CONFLICT (campaign_id, recipient_id) DO NOTHING`,
        [row.campaign_id, recipientId, at],
      );
      return row.campaign_id;
    },

    async campaignEffectivenessInput(campaignId) {
      const [campaign] = await query<{ created_at: Instant }>(
        'SELECT created_at FROM campaigns WHERE id = $1',
        [campaignId],
      );
      if (!campaign) return null;
      const start = iso(campaign.created_at);
      const recipients = (
        await query<FunnelRecipientRow>(
          `SELECT o.recipient_id, o.state, o.recipient, o.updated_at AS reminded_at, c.checked_at
             FROM campaign_outbox o
             LEFT JOIN reminder_checks c ON c.campaign_id = o.campaign_id AND c.recipient_id = o.recipient_id
             WHERE o.campaign_id = $1 ORDER BY o.seq`,
          [campaignId],
        )
      ).map(toFunnelRecipient);
      const spells = await query<SpellRow>(
        `SELECT jamf_id, user_id, since, until, ended FROM compliance_spells
           WHERE (jamf_id = ANY($1::text[]) AND (until IS NULL OR until >= $2))
              OR (user_id IS NOT NULL AND since <= $2 AND (until IS NULL OR until > $2))`,
        [remindedMacIds(recipients), start],
      );
      const window = nearbyReminderWindow(start);
      const nearby = await query<{ recipient_id: string }>(
        'SELECT DISTINCT recipient_id FROM reminder_history WHERE reminded_at >= $1 AND reminded_at <= $2',
        [window.from, window.to],
      );
      return effectivenessInput(start, recipients, spells, nearby);
    },
  };
}
