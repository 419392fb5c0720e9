import type { DropAlerts } from '../alerts/dropAlerts';
import type { ThankYouService } from '../broadcasts/thankYouService';
import type { FleetChanges } from '../compliance/fleetSnapshotTypes';
import type { SmartGroupMembershipChange } from '../compliance/liveUpdateTypes';
import type { ScheduledJob } from './scheduler';

/** How often due thank-you re-checks run and the drop alert's card catches up (its own limit: once a minute). */
export const LIVE_UPDATES_EVERY_MS = 60_000;

/**
 * The live features (issue 22) behind their three triggers: the fleet snapshot's changes after
 * each sync, Jamf's smart-group membership webhook, and a scheduled minute for the thank-you's
 * re-checks and the drop card's trailing update.
 */
export interface LiveUpdates {
  /** Every batch of changes the snapshot publishes. */
  handleFleetChanges(changes: FleetChanges): Promise<void>;
  /** Jamf's `SmartGroupComputerMembershipChange` (only the Compliance group matters). */
  onMembershipChange(event: SmartGroupMembershipChange): Promise<void>;
  /** The scheduled minute (claimed: one instance per due time). */
  job: ScheduledJob;
}

export function liveUpdates(deps: {
  thankYous: Pick<ThankYouService, 'handleFleetChanges' | 'runDueChecks'>;
  dropAlerts: Pick<DropAlerts, 'handleFleetChanges' | 'onMembershipChange' | 'tick'>;
  /** The compliance history behind the campaign funnel (`recordComplianceChanges`, issue 19). */
  recordComplianceChanges?: (changes: FleetChanges) => Promise<void>;
}): LiveUpdates {
  const { thankYous, dropAlerts, recordComplianceChanges } = deps;
  /** All run even when one fails; the first failure is then thrown to the caller, which logs it. */
  const both = async (...runs: (() => Promise<unknown>)[]): Promise<void> => {
    const results = await Promise.allSettled(runs.map((run) => run()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  };
  return {
    handleFleetChanges: (changes) =>
      both(
        () => thankYous.handleFleetChanges(changes),
        () => dropAlerts.handleFleetChanges(changes),
        () => recordComplianceChanges?.(changes) ?? Promise.resolve(),
      ),
    onMembershipChange: (event) => dropAlerts.onMembershipChange(event),
    job: {
      name: 'live-updates',
      schedule: { everyMs: LIVE_UPDATES_EVERY_MS },
      run: (now) =>
        both(
          () => thankYous.runDueChecks(now),
          () => dropAlerts.tick(now),
        ),
    },
  };
}
