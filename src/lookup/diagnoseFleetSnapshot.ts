import { diagnoseMac } from '../compliance/diagnoseMac';
import type { Verdict } from '../compliance/diagnosisTypes';
import type { FleetSnapshotRead } from '../compliance/fleetSnapshotTypes';
import { summarizeFleet, type DiagnosisOutline, type FleetSummary } from '../compliance/summarizeFleet';
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
 * tolerate. A new version in the same hour diagnoses only the records it changed (the reader
 * keeps an unchanged Mac's record object): a webhook burst publishes a version every second or
 * so, and re-diagnosing the whole fleet after each stalled every answer meanwhile. Per record
 * only an outline is kept — verdict and problem codes, shared between Macs that agree — not the
 * full diagnosis (texts and all, tens of MB at that size); the records are the snapshot's own.
 */
export function diagnoseFleetSnapshot(criteria: ComplianceCriteria): DiagnoseFleet {
  let cached: {
    records: readonly MacRecord[];
    version: number;
    hour: number;
    result: DiagnosedFleet;
  } | null = null;
  /** This hour's outlines (for this connector group name), by record object. */
  let outlines: {
    hour: number;
    groupName: string | undefined;
    byRecord: WeakMap<MacRecord, DiagnosisOutline>;
  } | null = null;
  const shared = new Map<string, DiagnosisOutline>();
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
    if (!outlines || outlines.hour !== hour || outlines.groupName !== name)
      outlines = { hour, groupName: name, byRecord: new WeakMap() };
    const byRecord = outlines.byRecord;
    const diagnosed = fleet.records.map((r) => {
      let outline = byRecord.get(r);
      if (!outline) {
        outline = outlineOf(diagnoseMac(r, criteria, now, context), shared);
        byRecord.set(r, outline);
      }
      return outline;
    });
    const result: DiagnosedFleet = {
      records: fleet.records,
      verdicts: diagnosed.map((d) => d.verdict),
      summary: summarizeFleet(diagnosed),
    };
    cached = { records: fleet.records, version: fleet.version, hour, result };
    return result;
  };
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
