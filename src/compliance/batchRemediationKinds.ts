import type { Diagnosis } from './diagnosisTypes';
import type { BatchKind } from './remediationBatchTypes';
import { remediationsFor } from './remediationsFor';
import type { MacRecord } from './types';

/** Verdicts a batch fix may help; any other Mac is not diagnosed again for a batch. */
export const BATCH_VERDICTS: readonly Diagnosis['verdict'][] = ['stale', 'not_compliant', 'out_of_sync'];

/**
 * The batch fixes that can help one diagnosed Mac: the device card's own rule
 * (`remediationsFor`), so a batch never includes a Mac its device card would not offer the fix for.
 */
export function batchRemediationKinds(record: MacRecord, diagnosis: Diagnosis): BatchKind[] {
  return remediationsFor(record, diagnosis, { connectorGroupId: null }).filter(
    (k): k is BatchKind => k === 'wake' || k === 'recalculate',
  );
}
