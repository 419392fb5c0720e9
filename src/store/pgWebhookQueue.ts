import type { ClaimWebhooksOptions, WebhookQueue } from './ports/webhookQueue';
import { limitOf } from './limitOf';
import { webhookCutoff } from './retention';
import { toQueuedWebhook, toWebhookCounts, webhookParams, type WebhookRow } from './webhookRows';

/** Runs one statement on the store's pool (after its migrations). */
type Query = <R extends object>(sql: string, params?: unknown[]) => Promise<R[]>;

/** Rows `$2` (the owner) still holds, among the keys `$1`. */
const HELD = `delivery_key = ANY($1::text[]) AND state = 'queued' AND lease_owner = $2`;

/**
 * `WebhookQueue` on PostgreSQL, shared by several instances (see the port). The claim picks due
 * rows `FOR UPDATE SKIP LOCKED`, so two workers never lease the same row nor wait on each other;
 * every other transition is one conditional `UPDATE`. The insert is autocommitted: the 202 is sent
 * after it returns.
 */
export function pgWebhookQueue(query: Query): WebhookQueue {
  return {
    async enqueueWebhook(d, receivedAt) {
      const rows = await query(
        `INSERT INTO webhook_events (delivery_key, webhook_id, event, event_timestamp, computer_ids, group_change,
           received_at, not_before)
         VALUES ($1, $2, $3, $4, $5::json, $6::json, $7, $7) ON CONFLICT (delivery_key) DO NOTHING RETURNING 1`,
        webhookParams(d, receivedAt),
      );
      return rows.length === 1;
    },

    async claimWebhooks(opts: ClaimWebhooksOptions) {
      // MATERIALIZED: the pick runs once, so SKIP LOCKED cannot pick more than `limit` rows.
      const rows = await query<WebhookRow>(
        `WITH picked AS MATERIALIZED (
           SELECT delivery_key FROM webhook_events
             WHERE state = 'queued' AND not_before <= $3
               AND (lease_until IS NULL OR lease_until <= $3 OR ($5 AND lease_owner <> $1))
             ORDER BY received_at, delivery_key COLLATE "C" LIMIT $4
             FOR UPDATE SKIP LOCKED)
         UPDATE webhook_events SET lease_owner = $1, lease_until = $2
           WHERE delivery_key IN (SELECT delivery_key FROM picked)
           RETURNING *`,
        [opts.owner, opts.leaseUntil, opts.now, limitOf(opts.limit), opts.takeOverOthers ?? false],
      );
      return rows.map(toQueuedWebhook).sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
    },

    async finishWebhooks(keys, owner, outcome, at) {
      const rows = await query(
        `UPDATE webhook_events SET state = $3, finished_at = $4, lease_owner = NULL, lease_until = NULL
           WHERE ${HELD} RETURNING 1`,
        [keys, owner, outcome, at],
      );
      await query("DELETE FROM webhook_events WHERE state <> 'queued' AND finished_at < $1", [
        webhookCutoff(at),
      ]);
      return rows.length;
    },

    async retryWebhooks(keys, owner, notBefore) {
      const rows = await query(
        `UPDATE webhook_events SET attempts = attempts + 1, not_before = $3, lease_owner = NULL, lease_until = NULL
           WHERE ${HELD} RETURNING 1`,
        [keys, owner, notBefore],
      );
      return rows.length;
    },

    async getWebhook(deliveryKey) {
      const [row] = await query<WebhookRow>('SELECT * FROM webhook_events WHERE delivery_key = $1', [
        deliveryKey,
      ]);
      return row ? toQueuedWebhook(row) : null;
    },

    async webhookQueueCounts() {
      return toWebhookCounts(
        await query<{ state: string; n: string }>(
          'SELECT state, COUNT(*) AS n FROM webhook_events GROUP BY state',
        ),
      );
    },
  };
}
