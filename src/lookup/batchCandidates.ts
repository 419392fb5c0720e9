import { BATCH_VERDICTS, batchRemediationKinds } from '../compliance/batchRemediationKinds';
import { diagnoseMac } from '../compliance/diagnoseMac';
import type { BatchKind, BatchMac } from '../compliance/remediationBatchTypes';
import type { ComplianceCriteria } from '../compliance/types';
import type { DiagnoseFleet, ReadyFleet } from './diagnoseFleetSnapshot';
import { snapshotHourMemo } from './snapshotHourMemo';

/** The Macs each batch fix can help, in the snapshot's order. */
export type BatchCandidates = Readonly<Record<BatchKind, readonly BatchMac[]>>;

/** The candidates of a snapshot at a time. */
export type FindBatchCandidates = (fleet: ReadyFleet, now: Date) => BatchCandidates;

/**
 * Which Macs of the fleet snapshot the rollout card's batch fixes can help: only Macs whose
 * cached verdict is one a batch fix helps are diagnosed again in full (the cached outline keeps
 * codes, not who fixes a reason), and `batchRemediationKinds` — the device card's rule — decides.
 * Kept per snapshot version and clock hour, as the diagnoses are (`snapshotHourMemo`).
 */
export function batchCandidates(criteria: ComplianceCriteria, diagnose: DiagnoseFleet): FindBatchCandidates {
  return snapshotHourMemo<ReadyFleet, BatchCandidates, BatchKind[]>((fleet, now, perRecord, context) => {
    const { verdicts } = diagnose(fleet, now);
    const result: Record<BatchKind, BatchMac[]> = { wake: [], recalculate: [] };
    fleet.records.forEach((record, i) => {
      const verdict = verdicts[i];
      if (!verdict || !BATCH_VERDICTS.includes(verdict)) return;
      const found = perRecord(record, () =>
        batchRemediationKinds(record, diagnoseMac(record, criteria, now, context)),
      );
      for (const kind of found) result[kind].push({ computerId: record.jamf.id, name: record.jamf.name });
    });
    return result;
  });
}
