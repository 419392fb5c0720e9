import { BATCH_VERDICTS, batchRemediationKinds } from '../compliance/batchRemediationKinds';
import { diagnoseMac } from '../compliance/diagnoseMac';
import type { BatchKind, BatchMac } from '../compliance/remediationBatchTypes';
import type { ComplianceCriteria } from '../compliance/types';
import type { DiagnoseFleet, ReadyFleet } from './diagnoseFleetSnapshot';

/** The Macs each batch fix can help, in the snapshot's order. */
export type BatchCandidates = Readonly<Record<BatchKind, readonly BatchMac[]>>;

/** The candidates of a snapshot at a time. */
export type FindBatchCandidates = (fleet: ReadyFleet, now: Date) => BatchCandidates;

const HOUR_MS = 3_600_000;

/**
 * Which Macs of the fleet snapshot the rollout card's batch fixes can help: only Macs whose
 * cached verdict is one a batch fix helps are diagnosed again in full (the cached outline keeps
 * codes, not who fixes a reason), and `batchRemediationKinds` — the device card's rule — decides.
 * Kept per snapshot version and clock hour, as the diagnoses are.
 */
export function batchCandidates(criteria: ComplianceCriteria, diagnose: DiagnoseFleet): FindBatchCandidates {
  let cached: { records: unknown; version: number; hour: number; result: BatchCandidates } | null = null;
  return (fleet, now) => {
    const hour = Math.floor(now.getTime() / HOUR_MS);
    if (
      cached &&
      cached.records === fleet.records &&
      cached.version === fleet.version &&
      cached.hour === hour
    )
      return cached.result;
    const { verdicts } = diagnose(fleet, now);
    const groupId = fleet.connector.groupIds[0];
    const groupName = groupId ? fleet.connector.groupNames[groupId] : undefined;
    const context = groupName ? { connectorGroupName: groupName } : {};
    const result: Record<BatchKind, BatchMac[]> = { wake: [], recalculate: [] };
    fleet.records.forEach((record, i) => {
      const verdict = verdicts[i];
      if (!verdict || !BATCH_VERDICTS.includes(verdict)) return;
      for (const kind of batchRemediationKinds(record, diagnoseMac(record, criteria, now, context)))
        result[kind].push({ computerId: record.jamf.id, name: record.jamf.name });
    });
    cached = { records: fleet.records, version: fleet.version, hour, result };
    return result;
  };
}
