import type { DemoFleet, GraphDeviceRecord, GraphUserRecord } from './fleetTypes';
import type { GraphFleetMutations } from './fleetMutations';
import { deltaTrackerFor } from './graphSimDelta';

/**
 * The Graph simulator's side of the fleet changes (churn, tests): each write replaces the fleet's
 * array (or a group's member list) with a new one, so the routes' lookup tables, which are keyed
 * by those arrays, are rebuilt rather than trusted; `devices/delta`, `users/delta` and
 * `groups/delta` see the change by diffing against their snapshots.
 */
export function graphFleetMutations(fleet: DemoFleet): GraphFleetMutations {
  const g = fleet.graph;
  const delta = deltaTrackerFor(fleet);
  const put = <T extends { id: string }>(list: T[], record: T): T[] => {
    const i = list.findIndex((x) => x.id === record.id);
    return i < 0 ? [...list, record] : list.map((x, j) => (j === i ? record : x));
  };
  const group = (id: string) => {
    const found = g.groups.find((x) => x.id === id);
    if (!found) throw new Error(`The demo tenant has no group ${id}`);
    return found;
  };
  return {
    putDevice: (record: GraphDeviceRecord) => {
      g.devices = put(g.devices, { ...record, registeredOwnerIds: [...record.registeredOwnerIds] });
    },
    // Entra has no recycle bin for devices: a deleted device is gone for good.
    deleteDevice: (id) => {
      delta.noteRemoved(id, 'deleted');
      g.devices = g.devices.filter((d) => d.id !== id);
    },
    device: (id) => {
      const d = g.devices.find((x) => x.id === id);
      return d ? { ...d, registeredOwnerIds: [...d.registeredOwnerIds] } : undefined;
    },
    putUser: (record: GraphUserRecord) => {
      g.users = put(g.users, { ...record });
    },
    // A deleted user stays restorable for 30 days: delta reports it `@removed: changed`.
    deleteUser: (id) => {
      delta.noteRemoved(id, 'changed');
      g.users = g.users.filter((u) => u.id !== id);
      g.groups = g.groups.map((x) =>
        x.memberIds.includes(id) ? { ...x, memberIds: x.memberIds.filter((m) => m !== id) } : x,
      );
    },
    addGroupMember: (groupId, memberId) => {
      const target = group(groupId);
      if (!target.memberIds.includes(memberId)) target.memberIds = [...target.memberIds, memberId];
    },
    removeGroupMember: (groupId, memberId) => {
      const target = group(groupId);
      target.memberIds = target.memberIds.filter((m) => m !== memberId);
    },
    expireDeltaTokens: () => delta.expireAll(),
  };
}
