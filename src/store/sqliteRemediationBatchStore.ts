import type Database from 'better-sqlite3';
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

/** `RemediationBatchStore` on the SQLite file (see the port): each transition is one conditional statement. */
export function sqliteRemediationBatchStore(db: Database.Database): RemediationBatchStore {
  const getBatch = (id: string) => {
    const row = db.prepare('SELECT * FROM remediation_batches WHERE id = ?').get(id) as BatchRow | undefined;
    return row ? toBatch(row) : null;
  };
  const create = db.transaction((b: Parameters<RemediationBatchStore['createBatch']>[0]): boolean => {
    const macs = b.items.reduce((n, item) => n + item.length, 0);
    const info = db
      .prepare(
        `INSERT OR IGNORE INTO remediation_batches
           (id, kind, created_at, created_by, state, macs, items, card_conversation_id, card_activity_id)
         VALUES (?, ?, ?, ?, 'planned', ?, ?, ?, ?)`,
      )
      .run(
        b.id,
        b.kind,
        b.createdAt,
        JSON.stringify(b.createdBy),
        macs,
        b.items.length,
        b.card?.conversationId ?? null,
        b.card?.activityId ?? null,
      );
    if (info.changes === 0) return false;
    const item = db.prepare(
      `INSERT INTO remediation_batch_items (batch_id, seq, kind, macs, mac_count, state)
       VALUES (?, ?, ?, ?, ?, 'pending')`,
    );
    b.items.forEach((m, seq) => item.run(b.id, seq, b.kind, JSON.stringify(m), m.length));
    // Finished and cancelled batches older than the retention go with their items, and planned
    // ones nobody confirmed.
    const expired = `(state IN ('done', 'cancelled') AND finished_at < @cutoff)
      OR (state = 'planned' AND created_at < @planned)`;
    const cutoffs = { cutoff: batchCutoff(b.createdAt), planned: plannedCutoff(b.createdAt) };
    db.prepare(
      `DELETE FROM remediation_batch_items WHERE batch_id IN (SELECT id FROM remediation_batches WHERE ${expired})`,
    ).run(cutoffs);
    db.prepare(`DELETE FROM remediation_batches WHERE ${expired}`).run(cutoffs);
    return true;
  });
  const complete = db.transaction(
    (id: string, at: string, result: Parameters<RemediationBatchStore['completeBatchIfDrained']>[2]) => {
      const info = db
        .prepare(
          `UPDATE remediation_batches SET state = 'done', finished_at = ?
           WHERE id = ? AND state = 'running'
             AND NOT EXISTS (SELECT 1 FROM remediation_batch_items WHERE batch_id = ? AND state <> 'finished')`,
        )
        .run(at, id, id);
      if (info.changes !== 1) return false;
      db.prepare(
        `INSERT INTO audit_log (at, actor_teams_id, actor_aad_object_id, actor_name, action, target,
           outcome, details)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(...auditParams(result));
      return true;
    },
  );
  return {
    async createBatch(b) {
      const created = create(b);
      return { created, batch: getBatch(b.id)! };
    },
    async getBatch(id) {
      return getBatch(id);
    },
    async listRunningBatches() {
      const rows = db
        .prepare(`SELECT * FROM remediation_batches WHERE state = 'running' ORDER BY created_at, id`)
        .all() as BatchRow[];
      return rows.map(toBatch);
    },
    async startBatch(id, by, card) {
      const info = db
        .prepare(
          `UPDATE remediation_batches SET state = 'running', created_by = ?,
             card_conversation_id = COALESCE(?, card_conversation_id),
             card_activity_id = CASE WHEN ? IS NULL THEN card_activity_id ELSE ? END
           WHERE id = ? AND state = 'planned'`,
        )
        .run(
          JSON.stringify(by),
          card?.conversationId ?? null,
          card?.conversationId ?? null,
          card?.activityId ?? null,
          id,
        );
      return info.changes === 1;
    },
    async cancelBatch(id, at) {
      const info = db
        .prepare(
          `UPDATE remediation_batches SET state = 'cancelled', finished_at = ? WHERE id = ? AND state = 'planned'`,
        )
        .run(at, id);
      return info.changes === 1;
    },
    async claimBatchItems(opts) {
      const rows = db
        .prepare(
          `UPDATE remediation_batch_items
             SET state = 'claimed', lease_owner = @owner, lease_until = @leaseUntil, attempts = attempts + 1
           WHERE rowid IN (
             SELECT i.rowid FROM remediation_batch_items i JOIN remediation_batches b ON b.id = i.batch_id
             WHERE b.state = 'running'
               AND ((i.state = 'pending' AND (i.not_before IS NULL OR i.not_before <= @now))
                 OR (i.state = 'claimed' AND i.lease_until < @now))
             ORDER BY b.created_at, i.batch_id, i.seq LIMIT @limit)
           RETURNING batch_id, seq, kind, macs, attempts`,
        )
        .all({ ...opts, limit: limitOf(opts.limit) }) as BatchItemRow[];
      return rows.map(toBatchItem).sort((a, b) => a.batchId.localeCompare(b.batchId) || a.seq - b.seq);
    },
    async renewBatchLeases(owner, leaseUntil) {
      return db
        .prepare(
          `UPDATE remediation_batch_items SET lease_until = ? WHERE lease_owner = ? AND state = 'claimed'`,
        )
        .run(leaseUntil, owner).changes;
    },
    async finishBatchItem(batchId, seq, owner, outcome, at) {
      const info = db
        .prepare(
          `UPDATE remediation_batch_items
             SET state = 'finished', done = ?, failed = ?, failures = ?, finished_at = ?,
                 lease_owner = NULL, lease_until = NULL
           WHERE batch_id = ? AND seq = ? AND state = 'claimed' AND lease_owner = ?`,
        )
        .run(
          outcome.done,
          outcome.failures.length,
          outcome.failures.length ? JSON.stringify(outcome.failures) : null,
          at,
          batchId,
          seq,
          owner,
        );
      return info.changes === 1;
    },
    async retryBatchItem(batchId, seq, owner, notBefore) {
      const info = db
        .prepare(
          `UPDATE remediation_batch_items SET state = 'pending', not_before = ?, lease_owner = NULL, lease_until = NULL
           WHERE batch_id = ? AND seq = ? AND state = 'claimed' AND lease_owner = ?`,
        )
        .run(notBefore, batchId, seq, owner);
      return info.changes === 1;
    },
    async recoverBatchItems(opts) {
      const abandoned = opts.takeOverAll
        ? '(lease_owner IS NULL OR lease_owner <> @owner)'
        : '(lease_until IS NULL OR lease_until < @now)';
      return db
        .prepare(
          `UPDATE remediation_batch_items SET state = 'pending', lease_owner = NULL, lease_until = NULL
           WHERE state = 'claimed' AND ${abandoned}`,
        )
        .run(opts).changes;
    },
    async completeBatchIfDrained(id, at, result) {
      return complete(id, at, result);
    },
    async failPendingBatchItems(batchId, failure, at) {
      // Each Mac of the item with the failure's message (and status, when there is one).
      return db
        .prepare(
          `UPDATE remediation_batch_items
             SET state = 'finished', done = 0, failed = mac_count, finished_at = @at,
                 lease_owner = NULL, lease_until = NULL,
                 failures = (SELECT json_group_array(json(json_patch(m.value,
                               json_object('message', @message, 'status', @status))))
                             FROM json_each(remediation_batch_items.macs) AS m)
           WHERE batch_id = @batchId AND state = 'pending'`,
        )
        .run({ batchId, at, message: failure.message, status: failure.status ?? null }).changes;
    },
    async batchProgress(id, failureLimit) {
      const batch = getBatch(id);
      if (!batch) return null;
      const sums = db
        .prepare(
          `SELECT SUM(done) AS done, SUM(failed) AS failed,
                  SUM(CASE WHEN state = 'finished' THEN 0 ELSE mac_count END) AS remaining
           FROM remediation_batch_items WHERE batch_id = ?`,
        )
        .get(id) as BatchSumsRow | undefined;
      const failures = db
        .prepare(
          `SELECT failures FROM remediation_batch_items WHERE batch_id = ? AND failed > 0 ORDER BY seq LIMIT ?`,
        )
        .all(id, limitOf(failureLimit)) as { failures: string | null }[];
      return toBatchProgress(batch, sums, failures, failureLimit);
    },
  };
}
