import type { FleetMacRow, FleetMembership } from '../compliance/fleetSnapshotTypes';
import { isInGroup } from '../compliance/isInGroup';
import { joinFleet } from '../compliance/joinFleet';
import type { EntraDevice, EntraUser, JamfComplianceInfo, JamfComputer } from '../compliance/types';
import { connectorMembers } from './connectorMembers';
import { stableHash } from './stableHash';

/** The raw inputs of the join, as the snapshot keeps them. */
export interface FleetSources {
  computers: Iterable<JamfComputer>;
  devices: Iterable<EntraDevice>;
  users: Iterable<EntraUser>;
  memberships: Iterable<FleetMembership>;
  compliance: Iterable<JamfComplianceInfo>;
}

/** Jamf ids are numeric strings: shorter first, then by text — numeric order without parsing. */
export const byJamfId = (a: JamfComputer, b: JamfComputer): number =>
  a.id.length - b.id.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Joins every source (as `loadFleet` does, over all Macs: a non-applicable Mac still claims its
 * device) and keeps the applicable Macs, each with the hash of its record, in Jamf id order.
 * Linear in the fleet: an incremental sync re-joins everything rather than guessing which
 * records a change reaches (a renamed device can move a name join between two Macs).
 */
export function joinSnapshot(
  sources: FleetSources,
  opts: { applicableGroup: string; connectorGroupIds: readonly string[] },
): { rows: FleetMacRow[]; notApplicable: number } {
  const computers = [...sources.computers].sort(byJamfId);
  const records = joinFleet({
    computers,
    complianceInfos: [...sources.compliance],
    devices: [...sources.devices],
    users: [...sources.users],
    connectorGroupMembers: connectorMembers(sources.memberships, opts.connectorGroupIds),
  });
  const rows: FleetMacRow[] = [];
  for (const record of records)
    if (isInGroup(record.jamf.groups, opts.applicableGroup))
      rows.push({ jamfId: record.jamf.id, hash: stableHash(record), record });
  return { rows, notApplicable: computers.length - rows.length };
}
