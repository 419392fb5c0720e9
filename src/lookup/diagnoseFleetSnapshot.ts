import { diagnoseMac } from '../compliance/diagnoseMac';
import type { Reason, Verdict } from '../compliance/diagnosisTypes';
import type { FleetSnapshotRead } from '../compliance/fleetSnapshotTypes';
import { summarizeFleet, type CountedDiagnosis, type FleetSummary } from '../compliance/summarizeFleet';
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

/** A Mac's verdict and problem codes, as diagnosed in one clock hour. */
interface Counted extends CountedDiagnosis {
  hour: number;
}

/**
 * Diagnoses depend on `now` (report ages, the sync delay), so they are made at answer time, not
 * stored. Diagnosing 50,000 Macs takes 300–400 ms (measured: more than a fleet answer may
 * spend), so each Mac's verdict and problem codes are kept per record and clock hour: a new
 * snapshot version (a webhook refresh, an incremental sync) re-diagnoses only the Macs whose
 * records changed — the reader keeps an unchanged Mac's record object — and within an hour a
 * verdict may be up to an hour late to turn stale or out of sync, which the criteria (days,
 * hours) tolerate. The full diagnoses (texts and all, tens of MB at that size) are not kept;
 * each distinct list of problem codes is held once. The records are the snapshot's own.
 */
export function diagnoseFleetSnapshot(criteria: ComplianceCriteria): DiagnoseFleet {
  let cached: {
    records: readonly MacRecord[];
    version: number;
    hour: number;
    result: DiagnosedFleet;
  } | null = null;
  let perRecord = new WeakMap<MacRecord, Counted>();
  const reasonLists = new Map<string, readonly Pick<Reason, 'code' | 'level'>[]>();
  const problemsOf = (reasons: readonly Reason[]): readonly Pick<Reason, 'code' | 'level'>[] => {
    const codes = reasons.filter((r) => r.level === 'problem').map((r) => r.code);
    const key = codes.join(',');
    let list = reasonLists.get(key);
    if (!list) {
      list = codes.map((code) => ({ code, level: 'problem' as const }));
      reasonLists.set(key, list);
    }
    return list;
  };
  let contextKey: string | null = null;
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
    // The context only names things in texts, but a change of it starts the per-Mac cache afresh.
    if (contextKey !== (name ?? '')) {
      perRecord = new WeakMap();
      contextKey = name ?? '';
    }
    const counted = fleet.records.map((r) => {
      const held = perRecord.get(r);
      if (held && held.hour === hour) return held;
      const d = diagnoseMac(r, criteria, now, context);
      const entry: Counted = { hour, verdict: d.verdict, reasons: problemsOf(d.reasons) };
      perRecord.set(r, entry);
      return entry;
    });
    const result: DiagnosedFleet = {
      records: fleet.records,
      verdicts: counted.map((c) => c.verdict),
      summary: summarizeFleet(counted),
    };
    cached = { records: fleet.records, version: fleet.version, hour, result };
    return result;
  };
}
