import type Database from 'better-sqlite3';
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

/**
 * `ComplianceHistoryStore` on the SQLite file (see the port). A batch of observations is one
 * transaction: the open spell per Mac is a partial unique index, so "open one unless open" is an
 * insert that does nothing on conflict, and "close" an update of the open row.
 */
export function sqliteComplianceHistory(db: Database.Database): ComplianceHistoryStore {
  return {
    async recordComplianceObservations(observations, at, opts = {}) {
      const open = db.prepare(
        'INSERT INTO compliance_spells (jamf_id, user_id, since) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      );
      const close = db.prepare(
        `UPDATE compliance_spells SET until = ?, ended = 'compliant', user_id = COALESCE(?, user_id)
           WHERE jamf_id = ? AND until IS NULL AND since <= ?`,
      );
      const backdate = db.prepare(
        'UPDATE compliance_spells SET since = ? WHERE jamf_id = ? AND until IS NULL AND since > ?',
      );
      const turned = db.prepare(
        `INSERT INTO compliance_spells (jamf_id, user_id, since, until, ended) VALUES (?, ?, ?, ?, 'compliant')`,
      );
      db.transaction(() => {
        for (const o of observations) {
          if (!o.compliant) {
            if (open.run(o.jamfId, o.userId, at).changes === 0 && opts.backfill)
              backdate.run(at, o.jamfId, at);
          } else if (close.run(at, o.userId, o.jamfId, at).changes === 0 && o.turnedCompliant)
            turned.run(o.jamfId, o.userId, at, at);
        }
        if (opts.wholeFleet) {
          db.prepare(
            `UPDATE compliance_spells SET until = ?, ended = 'gone'
               WHERE until IS NULL AND since <= ? AND jamf_id NOT IN (SELECT value FROM json_each(?))`,
          ).run(at, at, JSON.stringify(observations.map((o) => o.jamfId)));
          // Pruned once a day with the whole fleet, not on every change batch.
          db.prepare('DELETE FROM compliance_spells WHERE until < ?').run(
            spellCutoff(at, HISTORY_RETENTION_DAYS),
          );
        }
      })();
    },

    async recordReminderCheck(recipientId, ref, at) {
      const row = db
        .prepare(
          `SELECT campaign_id FROM campaign_outbox
             WHERE recipient_id = ? AND state IN ('sent', 'in_doubt') AND (campaign_id = ? OR activity_id = ?)
             ORDER BY updated_at DESC LIMIT 1`,
        )
        .get(recipientId, ref.campaignId ?? null, ref.activityId ?? null) as
        { campaign_id: string } | undefined;
      if (!row) return null;
      db.prepare(
        `INSERT INTO reminder_checks (campaign_id, recipient_id, checked_at) VALUES (?, ?, ?)
           ON CONFLICT (campaign_id, recipient_id) DO NOTHING`,
      ).run(row.campaign_id, recipientId, at);
      return row.campaign_id;
    },

    async campaignEffectivenessInput(campaignId) {
      return db.transaction(() => {
        const campaign = db.prepare('SELECT created_at FROM campaigns WHERE id = ?').get(campaignId) as
          { created_at: string } | undefined;
        if (!campaign) return null;
        const start = campaign.created_at;
        const recipients = (
          db
            .prepare(
              `SELECT o.recipient_id, o.state, o.recipient, o.updated_at AS reminded_at, c.checked_at
                 FROM campaign_outbox o
                 LEFT JOIN reminder_checks c ON c.campaign_id = o.campaign_id AND c.recipient_id = o.recipient_id
                 WHERE o.campaign_id = ? ORDER BY o.seq`,
            )
            .all(campaignId) as FunnelRecipientRow[]
        ).map(toFunnelRecipient);
        const spells = db
          .prepare(
            `SELECT jamf_id, user_id, since, until, ended FROM compliance_spells
               WHERE (jamf_id IN (SELECT value FROM json_each(?)) AND (until IS NULL OR until >= ?))
                  OR (user_id IS NOT NULL AND since <= ? AND (until IS NULL OR until > ?))`,
          )
          .all(JSON.stringify(remindedMacIds(recipients)), start, start, start) as SpellRow[];
        const window = nearbyReminderWindow(start);
        const nearby = db
          .prepare(
            'SELECT DISTINCT recipient_id FROM reminder_history WHERE reminded_at >= ? AND reminded_at <= ?',
          )
          .all(window.from, window.to) as { recipient_id: string }[];
        return effectivenessInput(start, recipients, spells, nearby);
      })();
    },
  };
}
