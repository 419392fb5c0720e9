import { deviceNameKey } from '../compliance/deviceNameKey';
import { deviceOwnerKeys } from '../compliance/ownerKeys';
import type { EntraDevice, EntraUser, JamfComplianceInfo, JamfComputer } from '../compliance/types';

const lower = (s: string | null | undefined): string => (s ?? '').trim().toLowerCase();

/**
 * What `joinFleet` matches each source by, as one string per item: two bodies with the same
 * string join alike, so a change that keeps it (an inventory update, a compliance flip, a new
 * sign-in) reaches only its own Mac's record, never another Mac's join.
 */
export const joinInputs = {
  /** The Mac's name key and its Jamf user (email, username). */
  computer: (c: JamfComputer): string =>
    [deviceNameKey(c.name), lower(c.username), lower(c.email)].join('\u0000'),
  /** The device's id, name key, owners and registration time (which registration is newest). */
  device: (d: EntraDevice): string =>
    [
      lower(d.deviceId),
      deviceNameKey(d.displayName),
      deviceOwnerKeys(d).join(','),
      d.registrationDateTime ?? '',
    ].join('\u0000'),
  /** The user's UPN and mail (who finds them) — the id is the item's key. */
  user: (u: EntraUser): string => [lower(u.userPrincipalName), lower(u.mail)].join('\u0000'),
  /** The Entra device ids Jamf names, in order (the first unclaimed one wins). */
  compliance: (info: JamfComplianceInfo | undefined): string =>
    (info?.entraDeviceIds ?? []).map(lower).join('\u0000'),
};
