import { deviceNameKey } from './deviceNameKey';
import { deviceOwnerKeys } from './ownerKeys';
import type { EntraDevice } from './types';

export interface EntraDeviceIndex {
  /** By lower-cased `deviceId` (the id Jamf reports); the first record wins a duplicate. */
  byDeviceId: Map<string, EntraDevice>;
  /** By `deviceNameKey(displayName)`, in input order. */
  byName: Map<string, EntraDevice[]>;
  /** By name key + owner key (see `nameOwnerKey`), so owner matches never scan a popular name. */
  byNameAndOwner: Map<string, EntraDevice[]>;
}

/** The composite key of `byNameAndOwner`. */
export const nameOwnerKey = (nameKey: string, ownerKey: string): string => `${nameKey}\u0000${ownerKey}`;

/**
 * Maps over the Entra devices so each Mac's join is a few lookups, not a scan: thousands of
 * Macs share default names like "MacBook Pro", and a scan per Mac would be quadratic.
 */
export function indexEntraDevices(devices: readonly EntraDevice[]): EntraDeviceIndex {
  const byDeviceId = new Map<string, EntraDevice>();
  const byName = new Map<string, EntraDevice[]>();
  const byNameAndOwner = new Map<string, EntraDevice[]>();
  const push = (map: Map<string, EntraDevice[]>, key: string, d: EntraDevice): void => {
    const list = map.get(key);
    if (list) list.push(d);
    else map.set(key, [d]);
  };
  for (const d of devices) {
    const id = (d.deviceId ?? '').trim().toLowerCase();
    if (id !== '' && !byDeviceId.has(id)) byDeviceId.set(id, d);
    const name = deviceNameKey(d.displayName);
    if (name === '') continue;
    push(byName, name, d);
    for (const owner of new Set(deviceOwnerKeys(d))) push(byNameAndOwner, nameOwnerKey(name, owner), d);
  }
  return { byDeviceId, byName, byNameAndOwner };
}
