import type { AuditActor } from './auditTypes';

/**
 * The batch form of the device card's fixes (issue 19), started from the `rollout` card: wake
 * every stale Mac, or recalculate the smart groups of every Mac whose Compliance group is out of
 * date with its facts. Plain data, kept in the store so a restart resumes the batch.
 */
export const BATCH_KINDS = ['wake', 'recalculate'] as const;

export type BatchKind = (typeof BATCH_KINDS)[number];

export type BatchState = 'planned' | 'running' | 'done' | 'cancelled';

/** One Mac of a batch, as the cards and the audit log name it. */
export interface BatchMac {
  computerId: string;
  name: string;
}

/** A Mac the batch could not help, and why, plainly ("Jamf Pro refused it (403 Forbidden): …"). */
export interface BatchFailure extends BatchMac {
  message: string;
  /** The upstream status of a refusal (403, 404), when there was one. */
  status?: number;
}

/** Where the batch's progress card is, to update it in place (also after a restart). */
export interface BatchCardRef {
  conversationId: string;
  activityId: string | null;
}

export interface RemediationBatch {
  /** `b-` and 8 hex digits, made with the confirm card: pressing Confirm twice starts one batch. */
  id: string;
  kind: BatchKind;
  /** When the confirm step stored it (the server's clock: Confirm refuses a batch older than an hour). */
  createdAt: string;
  /** Who pressed the batch button, then who pressed Confirm. */
  createdBy: AuditActor;
  /**
   * `planned`: stored by the confirm step with exactly the Macs its card shows, nothing sent;
   * `running` once Confirm is pressed (once); `done` when every item finished; `cancelled`: Cancel
   * on the confirm card.
   */
  state: BatchState;
  /** Macs in the batch. */
  macs: number;
  /** Items (requests' units): one Mac for a recalculation, a chunk of Macs for a blank push. */
  items: number;
  progressCard: BatchCardRef | null;
  finishedAt: string | null;
}

/** What a worker claims: one recalculation, or one blank push for a chunk of Macs. */
export interface BatchItem {
  batchId: string;
  seq: number;
  kind: BatchKind;
  macs: BatchMac[];
  /** Sends tried so far (a throttled or interrupted send is tried again). */
  attempts: number;
}

/** How an item ended: each of its Macs done or failed. */
export interface BatchItemOutcome {
  done: number;
  failures: BatchFailure[];
}

/** A batch's figures for its progress card, in Macs. */
export interface BatchProgress {
  batch: RemediationBatch;
  done: number;
  failed: number;
  remaining: number;
  /** The first failures, in item order (the card lists a few). */
  failures: BatchFailure[];
}
