import type { FleetMacRow, FleetMembership } from '../compliance/fleetSnapshotTypes';
import { isInGroup } from '../compliance/isInGroup';
import { joinFleet } from '../compliance/joinFleet';
import type {
  EntraDevice,
  EntraUser,
  JamfComplianceInfo,
  JamfComputer,
  JoinMethod,
} from '../compliance/types';
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

/** A kept join, compactly: `joinedBy` and the device's object id in one string. */
export const joinOf = (joinedBy: JoinMethod, deviceObjectId: string): string =>
  `${joinedBy}\u0000${deviceObjectId}`;

/** The parts of a `joinOf` string. */
export function parseJoin(join: string): { joinedBy: JoinMethod; deviceObjectId: string } {
  const at = join.indexOf('\u0000');
  return { joinedBy: join.slice(0, at) as JoinMethod, deviceObjectId: join.slice(at + 1) };
}

/** Jamf ids are numeric strings: shorter first, then by text — numeric order without parsing. */
export const byJamfId = (a: JamfComputer, b: JamfComputer): number =>
  a.id.length - b.id.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Joins every source (as `loadFleet` does, over all Macs: a non-applicable Mac still claims its
 * device) and keeps the applicable Macs, each with the hash of its record, in Jamf id order —
 * and every joined Mac's join (`joinOf`), so an incremental re-join (`rejoinChanged`) can keep
 * the joins its changes cannot reach. Linear in the fleet: a full build, or a run without the
 * published state in memory.
 */
export function joinSnapshot(
  sources: FleetSources,
  opts: { applicableGroup: string; connectorGroupIds: readonly string[] },
): { rows: FleetMacRow[]; notApplicable: number; joins: Map<string, string> } {
  const computers = [...sources.computers].sort(byJamfId);
  const records = joinFleet({
    computers,
    complianceInfos: [...sources.compliance],
    devices: [...sources.devices],
    users: [...sources.users],
    connectorGroupMembers: connectorMembers(sources.memberships, opts.connectorGroupIds),
  });
  const rows: FleetMacRow[] = [];
  const joins = new Map<string, string>();
  for (const record of records) {
    if (record.entra) joins.set(record.jamf.id, joinOf(record.joinedBy, record.entra.id));
    if (isInGroup(record.jamf.groups, opts.applicableGroup))
      rows.push({ jamfId: record.jamf.id, hash: stableHash(record), record });
  }
  return { rows, notApplicable: computers.length - rows.length, joins };
}
