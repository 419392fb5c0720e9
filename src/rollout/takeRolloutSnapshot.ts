import type { RolloutSnapshot } from '../compliance/rolloutSnapshotTypes';
import type { DiagnoseFleet, ReadyFleet } from '../lookup/diagnoseFleetSnapshot';
import type { ComplianceHistoryStore } from '../store/ports/complianceHistoryStore';
import type { SnapshotStore } from '../store/ports/snapshotStore';
import { fleetObservations } from './fleetObservations';

export interface RolloutSnapshotDeps {
  /** Diagnoses the fleet snapshot's Macs at a given time (cached per version and hour). */
  diagnose: DiagnoseFleet;
  store: Pick<SnapshotStore, 'saveSnapshot'>;
  /**
   * Where each Mac's compliance is recorded for the campaign funnel (issue 19): the snapshot
   * sees the whole fleet, so it opens and closes spells and closes those of Macs that left.
   */
  history?: Pick<ComplianceHistoryStore, 'recordComplianceObservations'>;
}

/** The UTC day of an instant, as the snapshots are keyed: `YYYY-MM-DD`. */
export const utcDay = (d: Date): string => d.toISOString().slice(0, 10);

/**
 * Today's counts from the fleet snapshot, each applicable Mac diagnosed the way `check device`
 * does. Macs outside the Applicable group are counted by the snapshot, so the percentage is of
 * applicable Macs only.
 */
export function rolloutCounts(
  deps: Pick<RolloutSnapshotDeps, 'diagnose'>,
  fleet: ReadyFleet,
  now: Date,
): RolloutSnapshot {
  const { summary } = deps.diagnose(fleet, now);
  const { notApplicable } = fleet;
  return {
    day: utcDay(now),
    takenAt: now.toISOString(),
    total: summary.total + notApplicable,
    applicable: summary.applicable,
    byVerdict: { ...summary.byVerdict, not_applicable: summary.byVerdict.not_applicable + notApplicable },
    percentCompliant: summary.percentCompliant,
    topReasons: summary.topReasons,
  };
}

/** Stores today's counts from the fleet snapshot (replacing an earlier snapshot of the same day). */
export async function takeRolloutSnapshot(
  deps: RolloutSnapshotDeps,
  fleet: ReadyFleet,
  now: Date,
): Promise<RolloutSnapshot> {
  const snapshot = rolloutCounts(deps, fleet, now);
  await deps.store.saveSnapshot(snapshot);
  if (deps.history) {
    await deps.history.recordComplianceObservations(
      fleetObservations(deps.diagnose(fleet, now)),
      snapshot.takenAt,
      {
        wholeFleet: true,
      },
    );
  }
  return snapshot;
}
