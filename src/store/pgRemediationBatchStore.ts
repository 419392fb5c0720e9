import { limitOf } from './limitOf';
import type { RemediationBatchStore } from './ports/remediationBatchStore';
import {
  batchCutoff,
  toBatch,
  toBatchItem,
  toBatchProgress,
  type BatchItemRow,
  type BatchRow,
  type BatchSumsRow,
} from './remediationBatchRows';

/** Runs one statement on the store's pool (after its migrations). */
type Query = <R extends object>(sql: string, params?: unknown[]) => Promise<R[]>;

/**
 * `RemediationBatchStore` on PostgreSQL (see the port). The batch and its items are one
 * statement (a second Confirm's insert does nothing, its items with it); a claim skips the items
 * another instance is claiming at that moment, as the campaigns' outbox does.
 */
export function pgRemediationBatchStore(query: Query): RemediationBatchStore {
  const getBatch = async (id: string) => {
    const [row] = await query<BatchRow>('SELECT * FROM remediation_batches WHERE id = $1', [id]);
    return row ? toBatch(row) : null;
  };
  return {
    async createBatch(b) {
      const macs = b.items.reduce((n, item) => n + item.length, 0);
      const [row] = await query<{ created: boolean }>(
        `WITH batch AS (
           INSERT INTO remediation_batches (id, kind, created_at, created_by, state, macs, items)
           VALUES ($1, $2, $3, $4::json, 'running', $5, $6) ON CONFLICT (id) DO NOTHING RETURNING id),
         items AS (
           INSERT INTO remediation_batch_items (batch_id, seq, kind, macs, mac_count, state)
           SELECT batch.id, (i.ord - 1)::integer, $2, i.value, json_array_length(i.value), 'pending'
             FROM batch, json_array_elements($7::json) WITH ORDINALITY AS i (value, ord)
           RETURNING 1)
         SELECT EXISTS (SELECT 1 FROM batch) AS created`,
        [
          b.id,
          b.kind,
          b.createdAt,
          JSON.stringify(b.createdBy),
          macs,
          b.items.length,
          JSON.stringify(b.items),
        ],
      );
      if (row?.created)
        await query(`DELETE FROM remediation_batches WHERE state = 'done' AND finished_at < $1`, [
          batchCutoff(b.createdAt),
        ]);
      return { created: row?.created === true, batch: (await getBatch(b.id))! };
    },
    getBatch,
    async listRunningBatches() {
      const rows = await query<BatchRow>(
        `SELECT * FROM remediation_batches WHERE state = 'running' ORDER BY created_at, id COLLATE "C"`,
      );
      return rows.map(toBatch);
    },
    async setBatchCard(id, card) {
      await query(
        'UPDATE remediation_batches SET card_conversation_id = $2, card_activity_id = $3 WHERE id = $1',
        [id, card.conversationId, card.activityId],
      );
    },
    async claimBatchItems(opts) {
      const rows = await query<BatchItemRow>(
        `WITH picked AS MATERIALIZED (
           SELECT i.batch_id, i.seq FROM remediation_batch_items i JOIN remediation_batches b ON b.id = i.batch_id
             WHERE b.state = 'running'
               AND ((i.state = 'pending' AND (i.not_before IS NULL OR i.not_before <= $3))
                 OR (i.state = 'claimed' AND i.lease_until < $3))
             ORDER BY b.created_at, i.batch_id COLLATE "C", i.seq
             LIMIT $4
             FOR UPDATE OF i SKIP LOCKED)
         UPDATE remediation_batch_items
            SET state = 'claimed', lease_owner = $1, lease_until = $2, attempts = attempts + 1
          WHERE (batch_id, seq) IN (SELECT batch_id, seq FROM picked)
          RETURNING batch_id, seq, kind, macs, attempts`,
        [opts.owner, opts.leaseUntil, opts.now, limitOf(opts.limit)],
      );
      return rows.map(toBatchItem).sort((a, b) => a.batchId.localeCompare(b.batchId) || a.seq - b.seq);
    },
    async renewBatchLeases(owner, leaseUntil) {
      const rows = await query(
        `UPDATE remediation_batch_items SET lease_until = $2 WHERE lease_owner = $1 AND state = 'claimed' RETURNING 1`,
        [owner, leaseUntil],
      );
      return rows.length;
    },
    async finishBatchItem(batchId, seq, owner, outcome, at) {
      const rows = await query(
        `UPDATE remediation_batch_items
            SET state = 'finished', done = $4, failed = $5, failures = $6::json, finished_at = $7,
                lease_owner = NULL, lease_until = NULL
          WHERE batch_id = $1 AND seq = $2 AND state = 'claimed' AND lease_owner = $3 RETURNING 1`,
        [
          batchId,
          seq,
          owner,
          outcome.done,
          outcome.failures.length,
          outcome.failures.length ? JSON.stringify(outcome.failures) : null,
          at,
        ],
      );
      return rows.length === 1;
    },
    async retryBatchItem(batchId, seq, owner, notBefore) {
      const rows = await query(
        `UPDATE remediation_batch_items SET state = 'pending', not_before = $4, lease_owner = NULL, lease_until = NULL
          WHERE batch_id = $1 AND seq = $2 AND state = 'claimed' AND lease_owner = $3 RETURNING 1`,
        [batchId, seq, owner, notBefore],
      );
      return rows.length === 1;
    },
    async recoverBatchItems(opts) {
      const abandoned = opts.takeOverAll
        ? '(lease_owner IS NULL OR lease_owner <> $1)'
        : '(lease_until IS NULL OR lease_until < $1)';
      const rows = await query(
        `UPDATE remediation_batch_items SET state = 'pending', lease_owner = NULL, lease_until = NULL
          WHERE state = 'claimed' AND ${abandoned} RETURNING 1`,
        [opts.takeOverAll ? opts.owner : opts.now],
      );
      return rows.length;
    },
    async completeBatchIfDrained(id, at) {
      const rows = await query(
        `UPDATE remediation_batches SET state = 'done', finished_at = $2
          WHERE id = $1 AND state = 'running'
            AND NOT EXISTS (SELECT 1 FROM remediation_batch_items WHERE batch_id = $1 AND state <> 'finished')
          RETURNING 1`,
        [id, at],
      );
      return rows.length === 1;
    },
    async batchProgress(id, failureLimit) {
      const batch = await getBatch(id);
      if (!batch) return null;
      const [sums] = await query<BatchSumsRow>(
        `SELECT SUM(done) AS done, SUM(failed) AS failed,
                SUM(CASE WHEN state = 'finished' THEN 0 ELSE mac_count END) AS remaining
           FROM remediation_batch_items WHERE batch_id = $1`,
        [id],
      );
      const failures = await query<{ failures: unknown }>(
        `SELECT failures FROM remediation_batch_items WHERE batch_id = $1 AND failed > 0 ORDER BY seq LIMIT $2`,
        [id, limitOf(failureLimit)],
      );
      return toBatchProgress(batch, sums, failures as never, failureLimit);
    },
  };
}
