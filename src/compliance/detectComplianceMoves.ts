import type { FleetChange } from './fleetSnapshotTypes';
import { isInGroup } from './isInGroup';
import type { ComplianceDrop, SmartGroupMembershipChange } from './liveUpdateTypes';
import type { MacRecord } from './types';

/** A Mac whose record after the change is known. */
export type ChangedMac = FleetChange & { after: MacRecord };

/** What a batch of snapshot changes means for the thank-you and the drop alert. */
export interface ComplianceMoves {
  /** Were in the snapshot outside Jamf's Compliance group and are in it now. */
  entered: ChangedMac[];
  /** Were and still are in the group, and Entra turned compliant with this change (a watch may be waiting). */
  entraCaughtUp: ChangedMac[];
  /** Were in the group and are in the snapshot outside it now. */
  left: ChangedMac[];
}

const inGroup = (r: MacRecord | null, group: string): boolean => !!r && isInGroup(r.jamf.groups, group);

/**
 * Sorts snapshot changes by what they mean for the Compliance group. A Mac new to the snapshot
 * (`before` null) never counts as entering: a first build would otherwise thank the whole fleet.
 * A Mac that left the snapshot (`after` null: deleted, out of scope) is not a compliance drop.
 */
export function detectComplianceMoves(
  changes: readonly FleetChange[],
  complianceGroup: string,
): ComplianceMoves {
  const moves: ComplianceMoves = { entered: [], entraCaughtUp: [], left: [] };
  for (const c of changes) {
    if (!c.before || !c.after) continue;
    const was = inGroup(c.before, complianceGroup);
    const is = inGroup(c.after, complianceGroup);
    const change = c as ChangedMac;
    if (!was && is) moves.entered.push(change);
    else if (was && !is) moves.left.push(change);
    else if (is && c.after.entra?.isCompliant === true && c.before.entra?.isCompliant !== true)
      moves.entraCaughtUp.push(change);
  }
  return moves;
}

/** The drops a membership webhook reports, when it is about the Compliance group (else none). */
export function membershipDrops(
  event: SmartGroupMembershipChange,
  complianceGroup: string,
): ComplianceDrop[] {
  const group = [{ groupId: event.groupId, groupName: event.groupName, smartGroup: true }];
  if (!isInGroup(group, complianceGroup)) return [];
  const at = event.at.toISOString();
  return [...new Set(event.removed)].map((jamfId) => ({ jamfId, name: null, at }));
}
