import type { EntraDevice, EntraUser, JamfComputer } from './types';

const lower = (s: string | null | undefined): string => (s ?? '').trim().toLowerCase();

/**
 * Keys under which an Entra device's registered owners can be recognised: each owner UPN, its
 * part before the `@` (Jamf often stores a bare username), and each owner object id.
 */
export function deviceOwnerKeys(device: EntraDevice): string[] {
  const keys: string[] = [];
  for (const raw of device.ownerUpns ?? []) {
    const upn = lower(raw);
    if (upn === '') continue;
    keys.push(`upn:${upn}`);
    const at = upn.indexOf('@');
    if (at > 0) keys.push(`local:${upn.slice(0, at)}`);
  }
  for (const id of device.ownerIds ?? []) if (lower(id) !== '') keys.push(`id:${lower(id)}`);
  return keys;
}

/**
 * Keys a Mac's user may appear under among device owners: Jamf's email and username, and —
 * once resolved — the Entra user's UPN, mail and object id. A bare username (no `@`) matches
 * only an owner UPN's local part.
 */
export function macOwnerKeys(computer: JamfComputer, user: EntraUser | null): string[] {
  const keys = new Set<string>();
  for (const raw of [computer.email, computer.username, user?.userPrincipalName, user?.mail]) {
    const v = lower(raw);
    if (v === '') continue;
    keys.add(v.includes('@') ? `upn:${v}` : `local:${v}`);
  }
  if (user && lower(user.id) !== '') keys.add(`id:${lower(user.id)}`);
  return [...keys];
}
