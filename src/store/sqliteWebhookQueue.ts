import type Database from 'better-sqlite3';
import type { ClaimWebhooksOptions, WebhookQueue } from './ports/webhookQueue';
import { limitOf } from './limitOf';
import { webhookCutoff } from './retention';
import { toQueuedWebhook, toWebhookCounts, webhookParams, type WebhookRow } from './webhookRows';

/** Rows `owner` still holds, among the keys given as a JSON array. */
const HELD = `delivery_key IN (SELECT value FROM json_each(?)) AND state = 'queued' AND lease_owner = ?`;

/**
 * `WebhookQueue` on the SQLite file (see the port). Each transition is one conditional statement;
 * better-sqlite3 is synchronous, so a statement is also the transaction the 202 waits for.
 */
export function sqliteWebhookQueue(db: Database.Database): WebhookQueue {
  return {
    async enqueueWebhook(d, receivedAt) {
      const info = db
        .prepare(
          `INSERT INTO webhook_events (delivery_key, webhook_id, event, event_timestamp, computer_ids, group_change,
             received_at, not_before)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (delivery_key) DO NOTHING`,
        )
        .run(...webhookParams(d, receivedAt), receivedAt);
      return info.changes === 1;
    },

    async claimWebhooks(opts: ClaimWebhooksOptions) {
      const rows = db
        .prepare(
          `UPDATE webhook_events SET lease_owner = ?, lease_until = ?
             WHERE delivery_key IN (
               SELECT delivery_key FROM webhook_events
                 WHERE state = 'queued' AND not_before <= ?
                   AND (lease_until IS NULL OR lease_until <= ? OR (? AND lease_owner <> ?))
                 ORDER BY received_at, delivery_key LIMIT ?)
             RETURNING *`,
        )
        .all(
          opts.owner,
          opts.leaseUntil,
          opts.now,
          opts.now,
          opts.takeOverOthers ? 1 : 0,
          opts.owner,
          limitOf(opts.limit),
        ) as WebhookRow[];
      return rows.map(toQueuedWebhook).sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
    },

    async finishWebhooks(keys, owner, outcome, at) {
      return db.transaction(() => {
        const n = db
          .prepare(
            `UPDATE webhook_events SET state = ?, finished_at = ?, lease_owner = NULL, lease_until = NULL
               WHERE ${HELD}`,
          )
          .run(outcome, at, JSON.stringify(keys), owner).changes;
        db.prepare("DELETE FROM webhook_events WHERE state <> 'queued' AND finished_at < ?").run(
          webhookCutoff(at),
        );
        return n;
      })();
    },

    async retryWebhooks(keys, owner, notBefore) {
      return db
        .prepare(
          `UPDATE webhook_events SET attempts = attempts + 1, not_before = ?, lease_owner = NULL, lease_until = NULL
             WHERE ${HELD}`,
        )
        .run(notBefore, JSON.stringify(keys), owner).changes;
    },

    async getWebhook(deliveryKey) {
      const row = db.prepare('SELECT * FROM webhook_events WHERE delivery_key = ?').get(deliveryKey) as
        WebhookRow | undefined;
      return row ? toQueuedWebhook(row) : null;
    },

    async webhookQueueCounts() {
      return toWebhookCounts(
        db.prepare('SELECT state, COUNT(*) AS n FROM webhook_events GROUP BY state').all() as {
          state: string;
          n: number;
        }[],
      );
    },
  };
}
