import type { AuditEntry } from '../../compliance/auditTypes';
import type {
  BatchCardRef,
  BatchFailure,
  BatchItem,
  BatchItemOutcome,
  BatchKind,
  BatchMac,
  BatchProgress,
  RemediationBatch,
} from '../../compliance/remediationBatchTypes';
import type { AuditActor } from '../../compliance/auditTypes';

/** A batch as the confirm step stores it (`planned`): its items, each the Macs of one request's unit. */
export interface NewRemediationBatch {
  id: string;
  kind: BatchKind;
  /** The server's clock (Confirm's age check reads it, never the card). */
  createdAt: string;
  createdBy: AuditActor;
  items: BatchMac[][];
  /** The card the confirm step answered in place (it becomes the progress card). */
  card: BatchCardRef | null;
}

/**
 * The rollout card's batch fixes (issue 19), durable like a campaign's outbox: one row per batch
 * (stored `planned` by the confirm step with the Macs its card shows; Confirm flips it to
 * `running` once) and one per item, claimed
 * under a lease by a worker. Every transition is one conditional statement, so several instances
 * never hold the same item at once, and a dead instance's items return to the queue when their
 * lease runs out (at once on a single-instance restart).
 */
export interface RemediationBatchStore {
  /**
   * Stores a `planned` batch and its pending items in one step (`created: false` when the id
   * exists). Prunes finished and cancelled batches past the retention, and planned ones nobody
   * confirmed within a day.
   */
  createBatch(b: NewRemediationBatch): Promise<{ created: boolean; batch: RemediationBatch }>;
  /**
   * Confirm: `planned → running` in one conditional statement, recording who confirmed and the
   * card to update; false when it was not planned (started already, cancelled) or is unknown.
   */
  startBatch(id: string, by: AuditActor, card: BatchCardRef | null): Promise<boolean>;
  /** Cancel: `planned → cancelled`; false when it was not planned. */
  cancelBatch(id: string, at: string): Promise<boolean>;
  getBatch(id: string): Promise<RemediationBatch | null>;
  /** Batches still running (a restart finishes them and keeps their cards current). */
  listRunningBatches(): Promise<RemediationBatch[]>;
  /**
   * Claims up to `limit` items of running batches for `owner` until `leaseUntil`: pending ones
   * that are due, and claimed ones whose lease expired (their instance died). Counts an attempt.
   */
  claimBatchItems(opts: {
    owner: string;
    now: string;
    leaseUntil: string;
    limit: number;
  }): Promise<BatchItem[]>;
  /** Extends the lease of every item `owner` holds; how many. */
  renewBatchLeases(owner: string, leaseUntil: string): Promise<number>;
  /** Records an item's outcome; false when the item is no longer `owner`'s. */
  finishBatchItem(
    batchId: string,
    seq: number,
    owner: string,
    outcome: BatchItemOutcome,
    at: string,
  ): Promise<boolean>;
  /** Puts an item `owner` holds back in the queue, due at `notBefore` (a throttle, a network failure). */
  retryBatchItem(batchId: string, seq: number, owner: string, notBefore: string): Promise<boolean>;
  /**
   * After a restart: claimed items not held by `owner` go back to pending — all of them when this
   * is the only instance (`takeOverAll`), else those whose lease expired before `now`.
   */
  recoverBatchItems(opts: { owner: string; now: string; takeOverAll: boolean }): Promise<number>;
  /**
   * `running → done` once every item is finished, appending `result` to the audit log in the
   * same step (the result is never lost between the two); true only for the call that made the
   * change.
   */
  completeBatchIfDrained(id: string, at: string, result: Omit<AuditEntry, 'id'>): Promise<boolean>;
  /**
   * Jamf refused the bot itself (401/403): every pending item of the batch finishes failed with
   * `failure` for each of its Macs, in one statement; how many items.
   */
  failPendingBatchItems(
    batchId: string,
    failure: Pick<BatchFailure, 'message' | 'status'>,
    at: string,
  ): Promise<number>;
  /** Done, failed and remaining Macs, with the first `failureLimit` failures; null: no such batch. */
  batchProgress(id: string, failureLimit: number): Promise<BatchProgress | null>;
}
