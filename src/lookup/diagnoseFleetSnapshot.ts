import { diagnoseMac } from '../compliance/diagnoseMac';
import type { Verdict } from '../compliance/diagnosisTypes';
import type { FleetSnapshotRead } from '../compliance/fleetSnapshotTypes';
import { summarizeFleet, type FleetSummary } from '../compliance/summarizeFleet';
import type { ComplianceCriteria, MacRecord } from '../compliance/types';

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

const HOUR_MS = 3_600_000;

/**
 * Diagnoses depend on `now` (report ages, the sync delay), so they are made at answer time, not
 * stored. Diagnosing 50,000 Macs takes 300–400 ms (measured: more than a fleet answer may
 * spend), so the result is kept per snapshot version and clock hour: within an hour a verdict
 * may be up to an hour late to turn stale or out of sync, which the criteria (days, hours)
 * tolerate. Only the verdicts and the counts are kept (the full diagnoses, texts and all, would
 * be tens of MB at that size); the records are the snapshot's own.
 */
export function diagnoseFleetSnapshot(criteria: ComplianceCriteria): DiagnoseFleet {
  let cached: {
    records: readonly MacRecord[];
    version: number;
    hour: number;
    result: DiagnosedFleet;
  } | null = null;
  return (fleet, now) => {
    const hour = Math.floor(now.getTime() / HOUR_MS);
    if (
      cached &&
      cached.records === fleet.records &&
      cached.version === fleet.version &&
      cached.hour === hour
    )
      return cached.result;
    const id = fleet.connector.groupIds[0];
    const name = id ? fleet.connector.groupNames[id] : undefined;
    const context = name ? { connectorGroupName: name } : {};
    const diagnoses = fleet.records.map((r) => diagnoseMac(r, criteria, now, context));
    const result: DiagnosedFleet = {
      records: fleet.records,
      verdicts: diagnoses.map((d) => d.verdict),
      summary: summarizeFleet(diagnoses),
    };
    cached = { records: fleet.records, version: fleet.version, hour, result };
    return result;
  };
}
