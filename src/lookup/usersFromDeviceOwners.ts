import type { EntraDevice, EntraUser } from '../compliance/types';

/**
 * Registered owners as users (id and UPN; no mail or display name), so a registered Mac's user
 * needs no look-up. The client lists owner ids and UPNs separately; they pair up only when every
 * owner has a UPN.
 */
export function usersFromDeviceOwners(devices: readonly EntraDevice[]): EntraUser[] {
  const users: EntraUser[] = [];
  for (const d of devices) {
    const ids = d.ownerIds ?? [];
    const upns = d.ownerUpns ?? [];
    if (ids.length !== upns.length) continue;
    ids.forEach((id, i) => {
      const upn = upns[i];
      if (upn) users.push({ id, userPrincipalName: upn, displayName: null, mail: null });
    });
  }
  return users;
}
