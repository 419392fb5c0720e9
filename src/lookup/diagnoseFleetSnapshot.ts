import { diagnoseMac } from '../compliance/diagnoseMac';
import type { Verdict } from '../compliance/diagnosisTypes';
import type { FleetSnapshotRead } from '../compliance/fleetSnapshotTypes';
import { summarizeFleet, type DiagnosisOutline, type FleetSummary } from '../compliance/summarizeFleet';
import type { ComplianceCriteria, MacRecord } from '../compliance/types';
import { snapshotHourMemo } from './snapshotHourMemo';

/** A snapshot ready to answer from. */
export type ReadyFleet = Extract<FleetSnapshotRead, { state: 'ready' }>;

/** The snapshot's Macs with their verdicts (same order as `records`) and the fleet counts. */
export interface DiagnosedFleet {
  records: readonly MacRecord[];
  verdicts: readonly Verdict[];
  summary: FleetSummary;
}

/** Diagnoses a snapshot at `now`. */
export type DiagnoseFleet = (fleet: ReadyFleet, now: Date) => DiagnosedFleet;

/**
 * Diagnoses depend on `now` (report ages, the sync delay), so they are made at answer time, not
 * stored. Diagnosing 50,000 Macs takes 300–400 ms (measured: more than a fleet answer may
 * spend), so the result is kept per snapshot version and clock hour (`snapshotHourMemo`): a
 * webhook burst publishes a version every second or so, and re-diagnosing the whole fleet after
 * each stalled every answer meanwhile — a new version re-diagnoses only the records it changed.
 * Per record only an outline is kept — verdict and problem codes, shared between Macs that agree
 * — not the full diagnosis (texts and all, tens of MB at that size); the records are the
 * snapshot's own.
 */
export function diagnoseFleetSnapshot(criteria: ComplianceCriteria): DiagnoseFleet {
  const shared = new Map<string, DiagnosisOutline>();
  return snapshotHourMemo<ReadyFleet, DiagnosedFleet, DiagnosisOutline>((fleet, now, perRecord, context) => {
    const diagnosed = fleet.records.map((r) =>
      perRecord(r, () => outlineOf(diagnoseMac(r, criteria, now, context), shared)),
    );
    return {
      records: fleet.records,
      verdicts: diagnosed.map((d) => d.verdict),
      summary: summarizeFleet(diagnosed),
    };
  });
}

/** The diagnosis's verdict and problem codes, one object per distinct combination. */
function outlineOf(d: DiagnosisOutline, shared: Map<string, DiagnosisOutline>): DiagnosisOutline {
  const problems = d.reasons.filter((r) => r.level === 'problem').map((r) => r.code);
  const key = `${d.verdict}:${problems.join(',')}`;
  let outline = shared.get(key);
  if (!outline) {
    outline = { verdict: d.verdict, reasons: problems.map((code) => ({ code, level: 'problem' as const })) };
    shared.set(key, outline);
  }
  return outline;
}
