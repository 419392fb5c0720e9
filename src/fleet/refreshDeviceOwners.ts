import { deviceNameKey } from '../compliance/deviceNameKey';
import type { FleetSourceSet } from './fleetSourceSet';

/**
 * Devices' owners after users changed: `devices/delta` says nothing when an owner is renamed or
 * deleted (owners are a navigation, not a property), yet the join matches by owner UPN. A
 * deleted user is no longer an owner (Entra drops the reference); a renamed one has its new UPN.
 * Adds the names of the devices it rewrote to `changedNames`.
 */
export function refreshDeviceOwners(
  sources: FleetSourceSet,
  users: { changed: ReadonlySet<string>; removed: ReadonlySet<string> },
  changedNames: Set<string>,
): void {
  if (users.changed.size === 0 && users.removed.size === 0) return;
  const touched = (id: string): boolean => users.changed.has(id) || users.removed.has(id);
  for (const device of [...sources.values('device')]) {
    const before = device.ownerIds ?? [];
    if (!before.some(touched)) continue;
    const ownerIds = before.filter((id) => !users.removed.has(id));
    const ownerUpns = ownerIds.flatMap((id) => {
      const upn = sources.get('user', id)?.userPrincipalName;
      return upn ? [upn] : [];
    });
    if (sources.upsert('device', device.id, { ...device, ownerIds, ownerUpns }))
      changedNames.add(deviceNameKey(device.displayName));
  }
}
