import type { FleetMembership } from '../compliance/fleetSnapshotTypes';

/**
 * The users in the connector's groups, directly or through nested groups (the connector's
 * assignment applies to nested members too): a walk over the tracked direct memberships.
 */
export function connectorMembers(
  memberships: Iterable<FleetMembership>,
  connectorGroupIds: readonly string[],
): Set<string> {
  const byGroup = new Map<string, FleetMembership[]>();
  for (const m of memberships) {
    const key = m.groupId.toLowerCase();
    const list = byGroup.get(key);
    if (list) list.push(m);
    else byGroup.set(key, [m]);
  }
  const users = new Set<string>();
  const seen = new Set<string>();
  const queue = connectorGroupIds.map((g) => g.toLowerCase());
  for (let group = queue.pop(); group !== undefined; group = queue.pop()) {
    if (seen.has(group)) continue;
    seen.add(group);
    for (const m of byGroup.get(group) ?? []) {
      if (m.memberType === 'user') users.add(m.memberId);
      else if (m.memberType === 'group') queue.push(m.memberId.toLowerCase());
    }
  }
  return users;
}
