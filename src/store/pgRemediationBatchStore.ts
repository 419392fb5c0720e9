import { limitOf } from './limitOf';
import { auditParams } from './rowParams';
import type { RemediationBatchStore } from './ports/remediationBatchStore';
import {
  batchCutoff,
  plannedCutoff,
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
           INSERT INTO remediation_batches
             (id, kind, created_at, created_by, state, macs, items, card_conversation_id, card_activity_id)
           VALUES ($1, $2, $3, $4::json, 'planned', $5, $6, $8, $9) ON CONFLICT (id) DO NOTHING RETURNING id),
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
          b.card?.conversationId ?? null,
          b.card?.activityId ?? null,
        ],
      );
      // Finished and cancelled batches past the retention, and planned ones nobody confirmed
      // (their items go with them: ON DELETE CASCADE).
      if (row?.created)
        await query(
          `DELETE FROM remediation_batches
            WHERE (state IN ('done', 'cancelled') AND finished_at < $1) OR (state = 'planned' AND created_at < $2)`,
          [batchCutoff(b.createdAt), plannedCutoff(b.createdAt)],
        );
      return { created: row?.created === true, batch: (await getBatch(b.id))! };
    },
    getBatch,
    async listRunningBatches() {
      const rows = await query<BatchRow>(
        `SELECT * FROM remediation_batches WHERE state = 'running' ORDER BY created_at, id COLLATE "C"`,
      );
      return rows.map(toBatch);
    },
    async startBatch(id, by, card) {
      const rows = await query(
        `UPDATE remediation_batches SET state = 'running', created_by = $2::json,
           card_conversation_id = COALESCE($3, card_conversation_id),
           card_activity_id = CASE WHEN $3::text IS NULL THEN card_activity_id ELSE $4 END
          WHERE id = $1 AND state = 'planned' RETURNING 1`,
        [id, JSON.stringify(by), card?.conversationId ?? null, card?.activityId ?? null],
      );
      return rows.length === 1;
    },
    async cancelBatch(id, at) {
      const rows = await query(
        `UPDATE remediation_batches SET state = 'cancelled', finished_at = $2
          WHERE id = $1 AND state = 'planned' RETURNING 1`,
        [id, at],
      );
      return rows.length === 1;
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
    async completeBatchIfDrained(id, at, result) {
      // One statement: the audit entry is inserted only with the change, never without it.
      const rows = await query(
        `WITH done AS (
           UPDATE remediation_batches SET state = 'done', finished_at = $2
            WHERE id = $1 AND state = 'running'
              AND NOT EXISTS (SELECT 1 FROM remediation_batch_items WHERE batch_id = $1 AND state <> 'finished')
            RETURNING id)
         INSERT INTO audit_log (at, actor_teams_id, actor_aad_object_id, actor_name, action, target,
           outcome, details)
         SELECT $3::timestamptz, $4::text, $5::text, $6::text, $7::text, $8::text, $9::text, $10::json
           FROM done
         RETURNING 1`,
        [id, at, ...auditParams(result)],
      );
      return rows.length === 1;
    },
    async failPendingBatchItems(batchId, failure, at) {
      // Each Mac of the item with the failure's message (and status, when there is one).
      const rows = await query(
        `UPDATE remediation_batch_items
            SET state = 'finished', done = 0, failed = mac_count, finished_at = $2,
                lease_owner = NULL, lease_until = NULL,
                failures = (SELECT json_agg(m.value::jsonb
                                  || jsonb_strip_nulls(jsonb_build_object('message', $3::text, 'status', $4::integer))
                                  ORDER BY m.ord)
                              FROM json_array_elements(remediation_batch_items.macs) WITH ORDINALITY AS m (value, ord))
          WHERE batch_id = $1 AND state = 'pending' RETURNING 1`,
        [batchId, at, failure.message, failure.status ?? null],
      );
      return rows.length;
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
