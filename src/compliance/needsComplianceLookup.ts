import { deviceNameKey } from './deviceNameKey';
import { indexEntraDevices, nameOwnerKey } from './indexEntraDevices';
import { deviceOwnerKeys, macOwnerKeys } from './ownerKeys';
import type { EntraDevice, JamfComputer } from './types';

/**
 * The ids of computers whose Entra device cannot be told for certain without Jamf's compliance
 * info (one Jamf API call per computer), so the loader makes only those calls. A computer needs
 * it when some Entra device has its name but its user, as Jamf records it, does not single out
 * exactly one of them — none, several, or one that another Mac's user also owns — because
 * `joinFleet` would then fall back to a weak name-only join, or to none, or to a guess.
 *
 * Computers with no same-name device are left out: during a rollout they are mostly simply
 * unregistered, and asking Jamf about each would cost a call per Mac; a Mac renamed after
 * registration is the price (a single `check device` can still fetch its compliance info).
 * It sees only Jamf's email/username (no Entra users), so it may list a few computers that
 * `joinFleet` would confirm through the Entra user's UPN or object id.
 *
 * Nor does a computer whose user is known when every same-name device has known owners and
 * none of them is that user: `joinFleet`'s name pass never gives it a device owned by somebody
 * else, so only Jamf's compliance info could join it — and in a large fleet these are mostly
 * unregistered Macs that merely share a default name ("MacBook Pro") with other people's Macs
 * (4,131 of 5,879 look-ups at 50,000 Macs). A Mac registered by someone other than the user
 * Jamf records stays unjoined until that record is fixed; `check device` (one Mac, one call)
 * still looks it up with `lookUpOwnedByOthers`.
 */
export function needsComplianceLookup(
  computers: readonly JamfComputer[],
  devices: readonly EntraDevice[],
  opts: { lookUpOwnedByOthers?: boolean } = {},
): string[] {
  const index = indexEntraDevices(devices);
  const confirmedBy = new Map<EntraDevice, number>();
  const single: (EntraDevice | null)[] = [];
  const ambiguous = new Set<number>();

  computers.forEach((c, i) => {
    single.push(null);
    const name = deviceNameKey(c.name);
    if (name === '' || !index.byName.has(name)) return;
    const owned = new Set<EntraDevice>();
    const keys = macOwnerKeys(c, null);
    for (const k of keys) for (const d of index.byNameAndOwner.get(nameOwnerKey(name, k)) ?? []) owned.add(d);
    // Every claim counts, not just unambiguous ones: an ambiguous Mac may still take the device.
    for (const d of owned) confirmedBy.set(d, (confirmedBy.get(d) ?? 0) + 1);
    const [only, ...more] = owned;
    if (
      only === undefined &&
      !opts.lookUpOwnedByOthers &&
      ownedBySomeoneElse(index.byName.get(name) ?? [], keys)
    )
      return;
    if (only === undefined || more.length > 0) ambiguous.add(i);
    else single[i] = only;
  });

  return computers
    .filter((_, i) => {
      const d = single[i];
      return ambiguous.has(i) || (d !== null && d !== undefined && (confirmedBy.get(d) ?? 0) > 1);
    })
    .map((c) => c.id);
}

/** The Mac's user is known and every device is owned, by known owners who are all someone else. */
function ownedBySomeoneElse(devices: readonly EntraDevice[], macKeys: readonly string[]): boolean {
  if (macKeys.length === 0) return false;
  const mine = new Set(macKeys);
  return devices.every((d) => {
    const owners = deviceOwnerKeys(d);
    return owners.length > 0 && !owners.some((k) => mine.has(k));
  });
}
