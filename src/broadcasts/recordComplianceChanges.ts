import { decideVerdict } from '../compliance/diagnoseMac';
import { readMacFacts } from '../compliance/readMacFacts';
import type { ComplianceObservation } from '../compliance/campaignEffectiveness';
import type { FleetChanges } from '../compliance/fleetSnapshotTypes';
import type { MacRecord } from '../compliance/types';
import type { AppConfig } from '../config';
import type { ComplianceHistoryStore } from '../store/ports/complianceHistoryStore';

/**
 * Compliant (`diagnoseMac`'s verdict `compliant`, from its facts alone: a burst's changes are not
 * diagnosed in full), not compliant, or outside the integration (not applicable / not in the snapshot).
 */
function stateOf(r: MacRecord | null, config: Pick<AppConfig, 'criteria'>, at: Date): boolean | null {
  if (!r) return null;
  const verdict = decideVerdict(readMacFacts(r, config.criteria, at));
  return verdict === 'not_applicable' ? null : verdict === 'compliant';
}

/**
 * The fleet's change feed into the compliance history (issue 19): a Mac whose verdict turned
 * compliant or not compliant, or a new Mac that is not compliant, is recorded at the sync's
 * time — between two daily snapshots, so "within a day" is measured to the sync, not the day.
 * Macs whose state did not change are not written (a burst stays cheap); Macs that left are
 * closed by the next daily snapshot.
 */
export function recordComplianceChanges(deps: {
  history: Pick<ComplianceHistoryStore, 'recordComplianceObservations'>;
  config: Pick<AppConfig, 'criteria'>;
}): (changes: FleetChanges) => Promise<void> {
  return async (changes) => {
    const observations: ComplianceObservation[] = [];
    for (const c of changes.changes) {
      const after = stateOf(c.after, deps.config, changes.at);
      if (after === null) continue;
      const before = stateOf(c.before, deps.config, changes.at);
      if (before === after || (before === null && after)) continue;
      observations.push({
        jamfId: c.jamfId,
        userId: c.after?.user?.id ?? null,
        compliant: after,
        turnedCompliant: after && before === false,
      });
    }
    if (observations.length)
      await deps.history.recordComplianceObservations(observations, changes.at.toISOString());
  };
}
