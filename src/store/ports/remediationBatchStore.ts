import type {
  BatchCardRef,
  BatchItem,
  BatchItemOutcome,
  BatchKind,
  BatchMac,
  BatchProgress,
  RemediationBatch,
} from '../../compliance/remediationBatchTypes';
import type { AuditActor } from '../../compliance/auditTypes';

/** A batch as Confirm creates it: its items, each the Macs of one request's unit. */
export interface NewRemediationBatch {
  id: string;
  kind: BatchKind;
  createdAt: string;
  createdBy: AuditActor;
  items: BatchMac[][];
}

/**
 * The rollout card's batch fixes (issue 19), durable like a campaign's outbox: one row per batch
 * (its id is the confirm card's, so a second Confirm creates nothing) and one per item, claimed
 * under a lease by a worker. Every transition is one conditional statement, so several instances
 * never hold the same item at once, and a dead instance's items return to the queue when their
 * lease runs out (at once on a single-instance restart).
 */
export interface RemediationBatchStore {
  /** Creates the batch and its pending items in one step; `created: false` when the id exists. */
  createBatch(b: NewRemediationBatch): Promise<{ created: boolean; batch: RemediationBatch }>;
  getBatch(id: string): Promise<RemediationBatch | null>;
  /** Batches still running (a restart finishes them and keeps their cards current). */
  listRunningBatches(): Promise<RemediationBatch[]>;
  /** Remembers the card to update in place. */
  setBatchCard(id: string, card: BatchCardRef): Promise<void>;
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
  /** `running → done` once every item is finished; true only for the call that made the change. */
  completeBatchIfDrained(id: string, at: string): Promise<boolean>;
  /** Done, failed and remaining Macs, with the first `failureLimit` failures; null: no such batch. */
  batchProgress(id: string, failureLimit: number): Promise<BatchProgress | null>;
}
