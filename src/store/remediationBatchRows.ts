import type {
  BatchFailure,
  BatchItem,
  BatchKind,
  BatchMac,
  BatchProgress,
  RemediationBatch,
} from '../compliance/remediationBatchTypes';
import { iso, json, type Instant, type Json } from './rowMappers';

/** A `remediation_batches` row as both databases return it (migration 13). */
export interface BatchRow {
  id: string;
  kind: BatchKind;
  created_at: Instant;
  created_by: Json<RemediationBatch['createdBy']>;
  state: RemediationBatch['state'];
  macs: number | string;
  items: number | string;
  card_conversation_id: string | null;
  card_activity_id: string | null;
  finished_at: Instant | null;
}

/** A `remediation_batch_items` row, as a claim returns it. */
export interface BatchItemRow {
  batch_id: string;
  seq: number | string;
  kind: BatchKind;
  macs: Json<BatchMac[]>;
  attempts: number | string;
}

/** The sums `batchProgress` reads, in Macs. */
export interface BatchSumsRow {
  done: number | string | null;
  failed: number | string | null;
  remaining: number | string | null;
}

export const toBatch = (r: BatchRow): RemediationBatch => ({
  id: r.id,
  kind: r.kind,
  createdAt: iso(r.created_at),
  createdBy: json(r.created_by),
  state: r.state,
  macs: Number(r.macs),
  items: Number(r.items),
  progressCard: r.card_conversation_id
    ? { conversationId: r.card_conversation_id, activityId: r.card_activity_id }
    : null,
  finishedAt: r.finished_at === null ? null : iso(r.finished_at),
});

export const toBatchItem = (r: BatchItemRow): BatchItem => ({
  batchId: r.batch_id,
  seq: Number(r.seq),
  kind: r.kind,
  macs: json(r.macs),
  attempts: Number(r.attempts),
});

export const toBatchProgress = (
  batch: RemediationBatch,
  sums: BatchSumsRow | undefined,
  failureRows: { failures: Json<BatchFailure[]> | null }[],
  failureLimit: number,
): BatchProgress => ({
  batch,
  done: Number(sums?.done ?? 0),
  failed: Number(sums?.failed ?? 0),
  remaining: Number(sums?.remaining ?? 0),
  failures: failureRows.flatMap((r) => (r.failures === null ? [] : json(r.failures))).slice(0, failureLimit),
});

/** Finished batches are kept this long (the audit log keeps their start and result for ever). */
export const BATCH_RETENTION_MS = 90 * 86_400_000;

export const batchCutoff = (at: string): string =>
  new Date(Date.parse(at) - BATCH_RETENTION_MS).toISOString();

/** Planned batches nobody confirmed are kept a day (Confirm refuses them after an hour; the day lets it say why). */
export const PLANNED_RETENTION_MS = 86_400_000;

export const plannedCutoff = (at: string): string =>
  new Date(Date.parse(at) - PLANNED_RETENTION_MS).toISOString();
