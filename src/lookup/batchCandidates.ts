import { BATCH_VERDICTS, batchRemediationKinds } from '../compliance/batchRemediationKinds';
import { diagnoseMac } from '../compliance/diagnoseMac';
import type { BatchKind, BatchMac } from '../compliance/remediationBatchTypes';
import type { ComplianceCriteria, MacRecord } from '../compliance/types';
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
  // This hour's kinds by record object: a new version re-diagnoses only the Macs it changed (the
  // reader keeps an unchanged Mac's record), as the fleet's diagnoses do.
  let kinds: { hour: number; group: string | undefined; byRecord: WeakMap<MacRecord, BatchKind[]> } | null =
    null;
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
    if (!kinds || kinds.hour !== hour || kinds.group !== groupName)
      kinds = { hour, group: groupName, byRecord: new WeakMap() };
    const byRecord = kinds.byRecord;
    const result: Record<BatchKind, BatchMac[]> = { wake: [], recalculate: [] };
    fleet.records.forEach((record, i) => {
      const verdict = verdicts[i];
      if (!verdict || !BATCH_VERDICTS.includes(verdict)) return;
      let found = byRecord.get(record);
      if (!found) {
        found = batchRemediationKinds(record, diagnoseMac(record, criteria, now, context));
        byRecord.set(record, found);
      }
      for (const kind of found) result[kind].push({ computerId: record.jamf.id, name: record.jamf.name });
    });
    cached = { records: fleet.records, version: fleet.version, hour, result };
    return result;
  };
}
