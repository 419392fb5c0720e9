import type { FleetMacRow, FleetMembership } from '../compliance/fleetSnapshotTypes';
import { connectorMembers } from './connectorMembers';
import { parseJoin } from './joinSnapshot';

/**
 * What this process last published, beside the kept sources: each applicable Mac's row hash and
 * the connector groups' members. An incremental re-join compares against these instead of
 * reading 48,000 hashes back from the store.
 */
export interface PublishedRows {
  /** Jamf id → hash of its published row (applicable Macs only). */
  hashes: Map<string, string>;
  /** The connector groups the members were walked from (another set → the whole-fleet join). */
  connectorGroupIds: readonly string[];
  /** Lower-cased object ids / UPNs of the connector groups' members, direct or nested. */
  members: Set<string>;
  /** Jamf id → its join (`joinOf`: method and device object id), every joined Mac, applicable or not. */
  joins: Map<string, string>;
  /** Device object id → the Jamf id that claimed it (the reverse of `joins`). */
  claims: Map<string, string>;
}

/** The connector groups' members, lower-cased (as `joinFleet` compares them). */
export function lowerConnectorMembers(
  memberships: Iterable<FleetMembership>,
  connectorGroupIds: readonly string[],
): Set<string> {
  const members = new Set<string>();
  for (const m of connectorMembers(memberships, connectorGroupIds)) members.add(m.trim().toLowerCase());
  return members;
}

/** The published state after a whole-fleet join. */
export function publishedRowsOf(
  joined: { rows: readonly FleetMacRow[]; joins: Map<string, string> },
  memberships: Iterable<FleetMembership>,
  connectorGroupIds: readonly string[],
): PublishedRows {
  const claims = new Map<string, string>();
  for (const [jamfId, join] of joined.joins) claims.set(parseJoin(join).deviceObjectId, jamfId);
  return {
    hashes: new Map(joined.rows.map((r) => [r.jamfId, r.hash])),
    connectorGroupIds: [...connectorGroupIds],
    members: lowerConnectorMembers(memberships, connectorGroupIds),
    joins: joined.joins,
    claims,
  };
}
