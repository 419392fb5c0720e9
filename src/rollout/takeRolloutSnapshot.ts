import { diagnoseMac } from '../compliance/diagnoseMac';
import { summarizeFleet } from '../compliance/summarizeFleet';
import type { AppConfig } from '../config';
import { loadFleet, type LoadFleetDeps } from '../lookup/loadFleet';
import type { RolloutSnapshot } from '../compliance/rolloutSnapshotTypes';
import type { SnapshotStore } from '../store/ports/snapshotStore';

export interface RolloutSnapshotDeps extends LoadFleetDeps {
  config: Pick<AppConfig, 'criteria' | 'connector'>;
  store: Pick<SnapshotStore, 'saveSnapshot'>;
}

/** The UTC day of an instant, as the snapshots are keyed: `YYYY-MM-DD`. */
export const utcDay = (d: Date): string => d.toISOString().slice(0, 10);

/**
 * Loads the whole fleet, diagnoses every applicable Mac the way `check device` does, and stores
 * today's counts (replacing an earlier snapshot of the same day). Macs outside the Applicable
 * group are counted from the load's stats, so the percentage is of applicable Macs only.
 */
export async function takeRolloutSnapshot(deps: RolloutSnapshotDeps, now: Date): Promise<RolloutSnapshot> {
  const { config } = deps;
  const fleet = await loadFleet(deps, { criteria: config.criteria, connectorName: config.connector.name });
  const groupId = fleet.connector.groupIds[0];
  const groupName = groupId ? fleet.connector.groupNames[groupId] : undefined;
  const summary = summarizeFleet(
    fleet.records.map((r) =>
      diagnoseMac(r, config.criteria, now, groupName ? { connectorGroupName: groupName } : {}),
    ),
  );
  const notApplicable = fleet.stats.counts.notApplicable;
  const snapshot: RolloutSnapshot = {
    day: utcDay(now),
    takenAt: now.toISOString(),
    total: summary.total + notApplicable,
    applicable: summary.applicable,
    byVerdict: { ...summary.byVerdict, not_applicable: summary.byVerdict.not_applicable + notApplicable },
    percentCompliant: summary.percentCompliant,
    topReasons: summary.topReasons,
  };
  await deps.store.saveSnapshot(snapshot);
  return snapshot;
}
