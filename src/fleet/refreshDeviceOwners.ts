import type { ChangedDevices } from './changedDevices';
import type { FleetSourceSet } from './fleetSourceSet';

/**
 * Devices' owners after users changed: `devices/delta` says nothing when an owner is renamed or
 * deleted (owners are a navigation, not a property), yet the join matches by owner UPN. A
 * deleted user is no longer an owner (Entra drops the reference); a renamed one has its new UPN.
 * Notes the devices it rewrote in `changed`.
 */
export function refreshDeviceOwners(
  sources: FleetSourceSet,
  users: { changed: ReadonlySet<string>; removed: ReadonlySet<string> },
  changed: ChangedDevices,
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
    const after = { ...device, ownerIds, ownerUpns };
    if (sources.upsert('device', device.id, after)) changed.note(device, after);
  }
}
